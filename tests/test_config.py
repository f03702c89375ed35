"""The portal refuses to start where a local default would be unsafe."""

from __future__ import annotations

import pytest

from portal.config import ConfigError
from tests.conftest import app_config, build_app


def test_production_refuses_the_default_secret_key(database_urls, tmp_path):
    config = app_config(database_urls, str(tmp_path)) | {"PORTAL_ENV": "production"}
    config.pop("SECRET_KEY", None)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        build_app(config | {"SECRET_KEY": ""})
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        build_app(config | {"SECRET_KEY": "local-development-only-not-secret"})


def test_production_refuses_to_start_without_its_base_url(database_urls, tmp_path, monkeypatch):
    """Absolute URLs would otherwise name whatever host a request claimed, or a local address."""
    monkeypatch.delenv("BASE_URL", raising=False)
    config = app_config(database_urls, str(tmp_path)) | {"PORTAL_ENV": "production", "SECRET_KEY": "s" * 48}
    with pytest.raises(ConfigError, match="BASE_URL"):
        build_app(config)


def test_production_starts_with_a_real_secret(database_urls, tmp_path):
    config = app_config(database_urls, str(tmp_path)) | {
        "PORTAL_ENV": "production",
        "SECRET_KEY": "s" * 48,
        "BASE_URL": "https://portal.example.com",
    }
    assert build_app(config).config["SESSION_COOKIE_SECURE"] is True
