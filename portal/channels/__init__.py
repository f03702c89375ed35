"""The tenant's channels: status, score trend, and what uses each one."""
