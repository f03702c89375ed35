"""The tenant portal: ``create_app()`` builds the Flask app (config, extensions, blueprints, errors, CLI)."""

from __future__ import annotations

import importlib
import logging
from types import SimpleNamespace

import email_validator
from flask import Flask

from portal import auth, cli, db, errors, formatting, inputs, jobs, mail, navigation, stores, web
from portal import config as config_module
from portal.db import Base
from portal.extensions import csrf, htmx, limiter, migrate
from portal.ids import ObjectIdConverter, UlidConverter

ROOT = config_module.ROOT


def _configure_logging(app: Flask) -> None:
    """One line per event on stderr, with the logger name (portal.request, portal.security, …)."""
    if not logging.getLogger("portal").handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logging.getLogger("portal").addHandler(handler)
    logging.getLogger("portal").setLevel(app.config["LOG_LEVEL"])


def create_app(test_config: dict | None = None) -> Flask:
    """Build the portal from the environment's settings, overridden by test_config when given."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    test_config = test_config or {}
    app.config.update(config_module.load(test_config.get("PORTAL_ENV")))
    app.config.update(test_config)
    config_module.check(app.config)
    if app.config["PORTAL_ENV"] in config_module.LOCAL_ENVS:
        # The demo's addresses end in .test, a special-use domain email-validator refuses otherwise.
        email_validator.TEST_ENVIRONMENT = True
    _configure_logging(app)
    app.url_map.converters["ulid"] = UlidConverter
    app.url_map.converters["objectid"] = ObjectIdConverter

    db.init_app(app)
    # Flask-Migrate only needs something with .metadata; our env.py migrates with the owner's URL.
    migrate.init_app(app, SimpleNamespace(metadata=Base.metadata), directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    stores.init_app(app)
    web.init_app(app)
    inputs.init_app(app)
    auth.init_app(app)
    navigation.init_app(app)
    formatting.init_app(app)
    errors.init_app(app)
    jobs.init_app(app)
    mail.init_app(app)
    cli.init_app(app)
    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    """Every area is a package ``portal/<area>/`` whose ``routes.py`` defines ``bp``."""
    for area in sorted(path.parent.name for path in (ROOT / "portal").glob("*/routes.py")):
        app.register_blueprint(importlib.import_module(f"portal.{area}.routes").bp)
