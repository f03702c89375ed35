"""One inbox of what waits for the user's decision, and the notification bell."""
