"""Notification preferences (bell only, e-mail now, daily digest), the daily digest and the reminders."""
