"""Alembic environment: migrate as the owner role (MIGRATION_DATABASE_URL), never as the app role."""

from __future__ import annotations

from alembic import context
from flask import current_app
from sqlalchemy import create_engine, pool

from portal import models  # noqa: F401  (registers every table on Base.metadata)
from portal.db import Base

config = context.config


def include_name(name, type_, parent_names):
    """Autogenerate looks at our two schemas only."""
    if type_ == "schema":
        return name in (None, "public", "portal")
    return True


def run_migrations_online() -> None:
    """Run the migrations in one transaction on the owner's connection."""
    engine = create_engine(current_app.config["MIGRATION_DATABASE_URL"], poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            include_schemas=True,
            include_name=include_name,
            compare_type=True,
            transaction_per_migration=False,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run `flask db upgrade`.")
run_migrations_online()
