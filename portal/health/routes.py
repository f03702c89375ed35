"""``/healthz``: the process is up. ``/readyz``: PostgreSQL, MongoDB and S3, each ok or not."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from portal.db import database
from portal.stores import StoreUnavailable, documents, get_stores

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    """The process answers."""
    return jsonify(status="ok")


def _check(probe) -> str:
    try:
        probe()
    except StoreUnavailable:
        return "unavailable"
    except Exception:
        current_app.logger.exception("readiness probe failed")
        return "unavailable"
    return "ok"


def _postgres() -> None:
    with database().engine.connect() as connection:
        connection.execute(text("SELECT 1"))


@bp.route("/readyz")
def readyz():
    """Each dependency's state; 503 when PostgreSQL is down (without it no page works)."""
    stores = get_stores()
    checks = {
        "postgresql": _check(_postgres),
        "mongodb": _check(lambda: documents.ping(stores.documents)),
        "s3": _check(stores.blobs.ping),
    }
    ready = checks["postgresql"] == "ok"
    return jsonify(status="ready" if ready else "unavailable", checks=checks), 200 if ready else 503
