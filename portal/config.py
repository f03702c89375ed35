"""Settings from the environment, with embedded defaults for a local run.

``PORTAL_ENV`` says where we run: ``local`` (``make run``), ``test`` or ``production`` (the default, so a
forgotten setting fails safe). Outside local and test runs the portal refuses to start without a real
``SECRET_KEY`` and ``BASE_URL``, and the session cookie is Secure.
"""

from __future__ import annotations

import os
from pathlib import Path

from portal import localpg

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
DEV_SECRET = "local-development-only-not-secret"  # noqa: S105 (refused outside local runs)
LOCAL_BASE_URL = "http://127.0.0.1:5000"  # where `make run` listens
LOCAL_ENVS = ("local", "test")


class ConfigError(RuntimeError):
    """The environment does not describe a portal that may start."""


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def load(env: str | None = None) -> dict:
    """The configuration dict for create_app, read from the environment (env overrides PORTAL_ENV)."""
    env = env or os.environ.get("PORTAL_ENV", "production")
    local = env in LOCAL_ENVS
    database_url = os.environ.get("DATABASE_URL")
    migration_url = os.environ.get("MIGRATION_DATABASE_URL")
    if not database_url and local and localpg.is_configured():
        database_url, default_owner = localpg.urls()
        migration_url = migration_url or default_owner
    return {
        "PORTAL_ENV": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET if local else ""),
        # Absolute URLs (links in e-mails, the web form's address) start with this, never the Host header.
        "BASE_URL": os.environ.get("BASE_URL", LOCAL_BASE_URL if local else "").rstrip("/"),
        "DATABASE_URL": database_url,
        # The owner role runs migrations; the portal itself connects as the app role, which owns nothing.
        "MIGRATION_DATABASE_URL": migration_url or database_url,
        "MONGODB_URI": os.environ.get("MONGODB_URI") or None,
        "MONGODB_DB": os.environ.get("MONGODB_DB", "portal"),
        "MONGODB_TIMEOUT_MS": _int("MONGODB_TIMEOUT_MS", 1500),
        "DOCUMENT_STORE_PATH": os.environ.get("DOCUMENT_STORE_PATH", str(VAR / "documents")),
        "S3_BUCKET": os.environ.get("S3_BUCKET") or None,
        "S3_ENDPOINT_URL": os.environ.get("S3_ENDPOINT_URL") or None,
        "S3_REGION": os.environ.get("S3_REGION", "us-east-1"),
        "S3_CONNECT_TIMEOUT": _float("S3_CONNECT_TIMEOUT", 1.0),
        "S3_READ_TIMEOUT": _float("S3_READ_TIMEOUT", 2.0),
        "OBJECT_STORE_PATH": os.environ.get("OBJECT_STORE_PATH", str(VAR / "objects")),
        "CONTENT_CACHE_ENTRIES": _int("CONTENT_CACHE_ENTRIES", 512),
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Failed sign-ins: per address, per account from one address, and per account from everywhere (its
        # owner is told when that much higher ceiling trips), so one address cannot lock anyone else out.
        "LOGIN_LIMIT_PER_IP": os.environ.get("LOGIN_LIMIT_PER_IP", "20 per 5 minutes"),
        "LOGIN_LIMIT_PER_ACCOUNT_AND_IP": os.environ.get(
            "LOGIN_LIMIT_PER_ACCOUNT_AND_IP", "5 per 15 minutes"
        ),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "50 per hour"),
        # Requests for a password-reset link: per address, and per typed e-mail (whether or not it exists).
        "PASSWORD_RESET_LIMIT_PER_IP": os.environ.get("PASSWORD_RESET_LIMIT_PER_IP", "10 per hour"),
        "PASSWORD_RESET_LIMIT_PER_EMAIL": os.environ.get("PASSWORD_RESET_LIMIT_PER_EMAIL", "3 per hour"),
        # A request answers after at least this long, so its time does not tell whether the address exists.
        "PASSWORD_RESET_MIN_SECONDS": _float("PASSWORD_RESET_MIN_SECONDS", 0.25),
        "SESSION_HOURS": _int("SESSION_HOURS", 12),
        "SESSION_IDLE_TIMEOUT": _int("SESSION_IDLE_TIMEOUT", 120),  # minutes without a request
        "SESSION_COOKIE_NAME": "portal_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not local,
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 60 * 1024 * 1024,
        "DEMO_PASSWORD": os.environ.get("DEMO_PASSWORD", "portal-demo"),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        # Notifications sent with email=True also queue an e-mail in the outbox only when this is on.
        "MAIL_ENABLED": _flag("MAIL_ENABLED"),
        # The worker sends the outbox through this SMTP server; a local run's is the sink `make run` starts,
        # whose messages are kept in MAIL_SINK_PATH and shown at /dev/mail.
        "SMTP_HOST": os.environ.get("SMTP_HOST", "127.0.0.1" if local else ""),
        "SMTP_PORT": _int("SMTP_PORT", 1025 if local else 587),
        "SMTP_USER": os.environ.get("SMTP_USER") or None,
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": _flag("SMTP_STARTTLS") if "SMTP_STARTTLS" in os.environ else not local,
        "SMTP_TIMEOUT": _float("SMTP_TIMEOUT", 10.0),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "portal@localhost" if local else ""),
        "MAIL_SINK_PATH": os.environ.get("MAIL_SINK_PATH", str(VAR / "mail")),
        # A message the server keeps refusing is tried this many times (backoff up to an hour), then failed.
        "MAIL_MAX_ATTEMPTS": _int("MAIL_MAX_ATTEMPTS", 12),
        # Worker threads per `flask worker` process (jobs are synchronous; run more processes to scale out).
        "WORKER_CONCURRENCY": _int("WORKER_CONCURRENCY", 4),
        # Reminders: a contract not accepted after this many days (to the owners), an approval waiting longer.
        "CONTRACT_REMINDER_DAYS": _int("CONTRACT_REMINDER_DAYS", 7),
        "APPROVAL_REMINDER_DAYS": _int("APPROVAL_REMINDER_DAYS", 3),
    }


def check(config: dict) -> None:
    """Refuse to start where a local default would be unsafe."""
    if config["PORTAL_ENV"] not in LOCAL_ENVS and config["SECRET_KEY"] in ("", DEV_SECRET):
        raise ConfigError("SECRET_KEY must be set to a long random value outside a local run (PORTAL_ENV).")
    if not config["BASE_URL"].startswith(("https://", "http://")):
        raise ConfigError("BASE_URL must be set to the portal's address (https://…) outside a local run.")
    if not config["DATABASE_URL"]:
        raise ConfigError(
            "DATABASE_URL is not set (for a local run: PORTAL_ENV=local and `python -m portal.localpg start`)."
        )
