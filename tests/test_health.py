"""Liveness and readiness."""

from __future__ import annotations

import time

from tests.conftest import app_config, build_app, closed_port


def test_healthz_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_readyz_reports_each_dependency(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"] == {"postgresql": "ok", "mongodb": "ok", "s3": "ok"}


def test_readyz_is_503_quickly_when_postgresql_is_down(database_urls, tmp_path):
    port = closed_port()
    config = app_config(database_urls, str(tmp_path)) | {
        "DATABASE_URL": f"postgresql+psycopg://portal_app@127.0.0.1:{port}/portal",
    }
    app = build_app(config)
    started = time.monotonic()
    response = app.test_client().get("/readyz")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.json["checks"]["postgresql"] == "unavailable"
    assert response.json["checks"]["mongodb"] == "ok"


def test_pages_answer_503_when_postgresql_is_down(database_urls, tmp_path):
    config = app_config(database_urls, str(tmp_path)) | {
        "DATABASE_URL": f"postgresql+psycopg://portal_app@127.0.0.1:{closed_port()}/portal",
    }
    app = build_app(config)
    response = app.test_client().post("/login", data={"email": "a@b.test", "password": "x"}, csrf=True)
    assert response.status_code == 503
    assert "briefly unavailable" in response.get_data(as_text=True).lower()
