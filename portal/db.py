"""Engine, the per-request session, the declarative base and the tenant context for Row Level Security.

Every transaction begins with ``set_config('app.tenant_id', <tenant or ''>, true)`` (an ``after_begin``
listener), so PostgreSQL's policies see the current tenant and nothing else. The call is made even when
there is no tenant: skipping it would let a pooled or shared connection keep the previous tenant.
"""

from __future__ import annotations

import datetime as dt
import decimal
import logging
import uuid
from collections.abc import Sequence
from typing import Any

import psycopg
from flask import Flask, current_app, g
from sqlalchemy import DateTime, MetaData, Numeric, Text, create_engine, event, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from portal.hot import policy
from portal.hot.policy import prepared

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base: naming convention for constraints, and our column types for Python types."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        str: Text(),
        dt.datetime: DateTime(timezone=True),
        decimal.Decimal: Numeric(12, 2),
        dict[str, Any]: JSONB(),
        list[Any]: JSONB(),
        list[str]: ARRAY(Text()),
    }


TENANT_SETTING = prepared(text("SELECT set_config('app.tenant_id', :tenant, true)"))


def _set_tenant(session: Session, transaction: Any, connection: Connection) -> None:
    """Tell PostgreSQL the session's tenant at the start of each transaction (RLS reads it)."""
    connection.execute(TENANT_SETTING, {"tenant": str(session.info.get("tenant_id") or "")})


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for the app role: pre-ping so a restarted PostgreSQL is survived without a restart; the
    prepare policy and the placeholder rules of ``portal.hot``."""
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    kwargs.setdefault("pool_timeout", 5)
    kwargs.setdefault("paramstyle", policy.PARAMSTYLE)
    # No parallel query: under load, a page's small statement lost more to starting workers than it saved.
    options = f"-c max_parallel_workers_per_gather=0 {policy.SERVER_SETTINGS}"
    connect_args = {"connect_timeout": 3, "options": options, "cursor_factory": DescribedOnDemandCursor}
    kwargs.setdefault("connect_args", connect_args)
    engine = create_engine(url, **kwargs)
    policy.attach(engine)
    return engine


class DescribedOnDemandCursor(psycopg.RawCursor):
    """psycopg's raw cursor (SQL sent as SQLAlchemy wrote it, see ``portal.hot``), whose ``description``
    makes its Column objects only when one is read.

    psycopg builds a Column per column at every access, but SQLAlchemy only checks that a result has
    columns once it knows the statement's (its compiled cache): dozens of objects a page, for nothing.
    """

    @property
    def description(self) -> Sequence[psycopg.Column] | None:
        """The current result's columns, as psycopg describes them, made at the first look inside."""
        result = self.pgresult
        if result is None or not result.nfields:
            return super().description  # None, or no columns ("SELECT ;")
        return _Description(self, result)

    def describe(self, result: psycopg.pq.abc.PGresult) -> list[psycopg.Column]:
        """psycopg's description of one of this cursor's results, current or not."""
        if self.pgresult is result:
            return super().description
        # The cursor has run another statement since: a cursor of its own shows psycopg that result.
        other = psycopg.Cursor(self.connection)
        other.pgresult = result
        return other.description


class _Description(Sequence):
    """A result's columns, described when first looked inside."""

    __slots__ = ("columns", "count", "cursor", "result")

    def __init__(self, cursor: DescribedOnDemandCursor, result: psycopg.pq.abc.PGresult) -> None:
        self.cursor, self.result, self.count = cursor, result, result.nfields
        self.columns: list[psycopg.Column] | None = None

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: Any) -> Any:
        if self.columns is None:
            self.columns = self.cursor.describe(self.result)
        return self.columns[index]


class Database:
    """One app's handle on PostgreSQL: the engine and the factory of tenant-aware sessions."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = make_engine(url)
        self.sessionmaker: sessionmaker[Session] = make_sessionmaker(bind=self.engine)

    def new_session(self, tenant_id: uuid.UUID | str | None = None) -> Session:
        """A new session bound to a tenant (or to none: then tenant tables read as empty)."""
        session = self.sessionmaker()
        session.info["tenant_id"] = tenant_id
        return session


def init_app(app: Flask) -> Database:
    """Create the app's Database from config and close each request's session at teardown."""
    database = Database(app.config["DATABASE_URL"])
    app.extensions["db"] = database
    app.teardown_appcontext(_close_session)
    return database


def database() -> Database:
    """The current app's Database."""
    return current_app.extensions["db"]


def _close_session(exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        if exc is None and _read_only(session):
            # Same outcome as close()'s rollback, but psycopg forgets its prepared statements on ROLLBACK.
            session.commit()
        session.close()
    except SQLAlchemyError:
        # The connection failed (e.g. PostgreSQL went away): drop it instead of returning it to the pool.
        logging.getLogger("portal.db").warning("could not end a session whose connection failed")
        session.invalidate()


def _read_only(session: Session) -> bool:
    """Whether the session's open transaction has written nothing and has nothing waiting to be written.

    A session joined to an outer transaction (the tests' savepoints) never counts: its COMMIT would only
    release the savepoint, carrying its tenant setting into the outer transaction."""
    return (
        not isinstance(session.bind, Connection)
        and session.in_transaction()
        and not session.info.get("wrote")
        and not (session.new or session.dirty or session.deleted)
    )


def _began(session: Session, transaction: Any, connection: Connection) -> None:
    session.info["wrote"] = False
    _set_tenant(session, transaction, connection)


def _wrote(session: Session, *_: Any) -> None:
    session.info["wrote"] = True


def _executed(state: Any) -> None:
    # Anything but a SELECT (an UPDATE, a text() statement, …) counts as a write.
    if not state.is_select:
        state.session.info["wrote"] = True


def make_sessionmaker(**kwargs: Any) -> sessionmaker[Session]:
    """A factory of tenant-aware sessions: ``sessionmaker(**kwargs)`` with this module's listeners on it.

    The listeners (the tenant setting at each transaction's start, the write tracking) belong to this
    factory alone: any other session made in the process (a script's, the Fortunes reference's) runs none.
    """
    kwargs.setdefault("expire_on_commit", False)
    maker = sessionmaker(**kwargs)
    event.listen(maker, "after_begin", _began)
    event.listen(maker, "after_flush", _wrote)
    event.listen(maker, "do_orm_execute", _executed)
    return maker


def get_session() -> Session:
    """The request's session, created on first use; its tenant is set by ``set_tenant``."""
    if "db_session" not in g:
        g.db_session = database().new_session()
    return g.db_session


def set_tenant(tenant_id: uuid.UUID | str | None) -> None:
    """Bind the request's session to a tenant; takes effect at the next transaction."""
    session = get_session()
    if session.in_transaction() and session.info.get("tenant_id") != tenant_id:
        session.rollback()
    session.info["tenant_id"] = tenant_id
