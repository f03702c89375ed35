"""E-mail: the outbox (``outbox.queue_email``, the one way to send a message), and its sending by the worker."""
