"""The prepare policy and the placeholder rules, applied to the app's engine (see the package's page)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.sql import Executable

# PostgreSQL's settings for every app connection: a prepared statement runs on its generic plan at once.
SERVER_SETTINGS = "-c plan_cache_mode=force_generic_plan"
# SQLAlchemy writes $1, $2…: psycopg's raw cursors send that SQL as it is, with no rewriting to memoise.
PARAMSTYLE = "numeric_dollar"

# The execution options of a statement that runs prepared.
PREPARED = {"prepare": True}

S = TypeVar("S", bound=Executable)


def prepared(statement: S) -> S:
    """statement, marked to run prepared on its generic plan: only for a plan its values cannot change."""
    return statement.execution_options(**PREPARED)


def attach(engine: Engine) -> None:
    """Run the engine's statements prepared when marked (``prepared``), and only then."""
    event.listen(engine, "do_execute", _execute)


def _execute(cursor: Any, statement: str, parameters: Any, context: Any) -> bool:
    # psycopg would otherwise prepare any statement at its fifth run, lists whose words change the plan too.
    cursor.execute(statement, parameters, prepare=bool(context.execution_options.get("prepare")))
    return True
