"""Strategy, goals, deliverables and the agents' work: the plan, progress against it, and what it cost."""
