"""Leads: the list, a lead's timeline, assignment, imports and exports, the web form and the sales report."""
