"""Error pages in the portal's look, for pages and for htmx fragments alike."""

from __future__ import annotations

import logging
import time

from flask import Flask, g, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError, PendingRollbackError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from portal.extensions import limiter, login_manager
from portal.stores import StoreUnavailable

log = logging.getLogger("portal.errors")
security_log = logging.getLogger("portal.security")

PAGES = {400, 403, 404, 429, 500, 503}


def _page(status: int, **context):
    template = f"errors/{status if status in PAGES else 400 if status < 500 else 500}.html"
    if g.get("without_database"):
        # The user loaded before the failure went with its session (maybe expired): show the page signed out.
        context["current_user"] = login_manager.anonymous_user()
    return render_template(template, status=status, **context), status


def _http_error(error: HTTPException):
    if error.code == 405:
        return _page(404)
    return _page(error.code or 500, description=error.description)


def _csrf_error(error: CSRFError):
    security_log.warning("csrf refused: %s", error.description)
    return _page(400, message="The form expired or was sent from elsewhere. Reload the page and try again.")


def _rate_limited(error: HTTPException):
    security_log.warning("throttled: %s", error.description)
    limit = limiter.current_limit
    seconds = max(1, int(limit.reset_at - time.time())) if limit else 60
    minutes = (seconds + 59) // 60
    retry_after = f"{minutes} minute{'s' if minutes != 1 else ''}" if seconds >= 60 else f"{seconds} seconds"
    body, status = _page(429, retry_after=retry_after)
    return body, status, {"Retry-After": str(seconds)}


def _unavailable(error: Exception):
    log.error("dependency unavailable: %s", error.__class__.__name__)
    return _page(503)


def _without_database() -> None:
    """Render what follows without touching PostgreSQL: drop the broken session, answer as signed out.

    The error page's layout would otherwise load the user and the sidebar counts through the very
    session that just failed, and turn a quick 503 into a 500: with ``g.without_database`` set, the user
    loader answers "nobody" without a query, the sidebar is left out and ``_page`` renders signed out.
    """
    session = g.pop("db_session", None)
    if session is not None:
        try:
            session.close()
        except DBAPIError:
            log.warning("could not close the failed session")
    g.without_database = True


def _database_error(error: SQLAlchemyError):
    _without_database()
    unreachable = isinstance(error, OperationalError | PendingRollbackError | PoolTimeout) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )
    if unreachable:
        return _unavailable(error)
    log.exception("database error")
    return _page(500)


def _server_error(error: Exception):
    log.exception("unhandled error")
    return _page(500)


def init_app(app: Flask) -> None:
    """Register the handlers: HTTP errors, CSRF (400), throttling (429), a dead database (503)."""
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(429, _rate_limited)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(SQLAlchemyError, _database_error)
    app.register_error_handler(StoreUnavailable, _unavailable)
    app.register_error_handler(Exception, _server_error)
