"""The portal refuses to start where a local default would be unsafe."""

from __future__ import annotations

import re

import pytest

from portal import config
from portal.config import ROOT, ConfigError
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


SETTING = re.compile(r"config(?:\.get\(|\[)\s*[\"']([A-Z][A-Z0-9_]*)[\"']")
SECOND_DEFAULT = re.compile(r"config\.get\(\s*[\"'][A-Z][A-Z0-9_]*[\"']\s*,")


def test_every_setting_the_portal_reads_has_its_one_default_in_config_py():
    """A default written at the call site would drift from config.py's; a setting missing there is unset."""
    sources = {
        path: path.read_text()
        for path in (ROOT / "portal").rglob("*.py")
        if path != ROOT / "portal" / "config.py"
    }
    read = {name for text in sources.values() for name in SETTING.findall(text)}
    assert read, "the scan found no settings: its pattern no longer matches how the portal reads them"
    assert read - config.load("test").keys() == set()
    assert [str(path) for path, text in sources.items() if SECOND_DEFAULT.search(text)] == []


def test_mail_is_off_unless_the_environment_turns_it_on(monkeypatch):
    monkeypatch.delenv("MAIL_ENABLED", raising=False)
    assert config.load("test")["MAIL_ENABLED"] is False
    monkeypatch.setenv("MAIL_ENABLED", "1")
    assert config.load("test")["MAIL_ENABLED"] is True
