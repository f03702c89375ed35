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


def test_production_starts_with_a_real_secret(database_urls, tmp_path):
    config = app_config(database_urls, str(tmp_path)) | {"PORTAL_ENV": "production", "SECRET_KEY": "s" * 48}
    assert build_app(config).config["SESSION_COOKIE_SECURE"] is True
