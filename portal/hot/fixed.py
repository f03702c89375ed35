"""FixedStatement: a hot statement compiled to SQL once and run prepared (see the package's page)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import CursorResult
from sqlalchemy.sql import Executable, visitors

from portal import db
from portal.hot.policy import PREPARED


class FixedStatement:
    """A statement every page runs with only its parameters changing, compiled to SQL once.

    Run on the request's connection (same transaction and tenant as the session), prepared, it skips
    what SQLAlchemy does at each execution of a statement object — the compiled-cache look-up, rendering
    IN lists into the SQL (done here once, ``render_postcompile``), the ORM's result set-up. Rows come
    back as plain tuples. Parameters are the binds made without a value (``tenancy.TENANT_ID``,
    ``bindparam("x")``), given by name at each run; every bound constant (a status, a kind, a 0) is
    written into the SQL.
    """

    def __init__(self, statement: Executable) -> None:
        # Reads only: the session's write tracking (db._read_only) does not see statements run this way.
        if not getattr(statement, "is_select", False):
            raise TypeError("FixedStatement runs SELECT statements only")
        self.statement = visitors.cloned_traverse(statement, {}, {"bindparam": _constant_or_parameter})
        self.sql: str | None = None
        self.names: tuple[str, ...] = ()

    def run(self, params: dict[str, Any]) -> CursorResult:
        """Execute with these parameters (by name) in the request's transaction."""
        connection = db.get_session().connection()
        if self.sql is None:
            compiled = self.statement.compile(
                dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
            )
            self.names = tuple(compiled.positiontup or ())
            self.sql = compiled.string
        values = tuple(params[name] for name in self.names)
        return connection.exec_driver_sql(self.sql, values, execution_options=PREPARED)


def _constant_or_parameter(bind: Any) -> None:
    if bind.value is None and bind.callable is None:
        # Given at each run: compiling must not ask for its value.
        bind.required = False
    else:
        # In the SQL itself: a generic plan can use a partial index whose condition names this constant.
        bind.literal_execute = True
