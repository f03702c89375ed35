"""MongoDB access: pymongo against a server, or montydb on disk behind the same pymongo calls.

The portal keeps to find_one/find/insert_one/update_one/create_index so both serve; montydb has no
aggregate and no unique indexes (its create_index does nothing).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import Any, TypeAlias

from bson import ObjectId
from bson.errors import InvalidId
from montydb import MontyClient, set_storage
from montydb.collection import MontyCollection
from montydb.database import MontyDatabase
from montydb.types import bson as monty_bson
from pymongo import ASCENDING, MongoClient
from pymongo.database import Database
from pymongo.errors import ConnectionFailure, PyMongoError

from . import StoreUnavailable

ACTIVITY_OUTPUTS = "activity_outputs"
STRATEGIES_CONTENT = "strategies_content"
TOOL_CALL_LOGS = "tool_call_logs"
SKILLS = "skills"
ONBOARDING_RESEARCH = "onboarding_research"
COLLECTIONS = (ACTIVITY_OUTPUTS, STRATEGIES_CONTENT, TOOL_CALL_LOGS, SKILLS, ONBOARDING_RESEARCH)


class EmbeddedDatabase:
    """A montydb database (sqlite storage, real bson ObjectIds) that gives each thread its own client.

    Why per thread: montydb's sqlite engine keeps the connection of the running operation in one
    attribute shared by all threads, so two threads on one client use (and close) each other's
    connections. A client holds no open file between operations, so one per thread costs nothing.
    """

    def __init__(self, path: str, name: str) -> None:
        """Configure the repository at `path` (created if absent) and serve database `name` from it."""
        # use_bson=True makes montydb store and return bson.ObjectId, the same type pymongo uses.
        # montydb fixes this choice once per process; a conflicting earlier choice raises here.
        set_storage(path, storage="sqlite", use_bson=True)
        self.path = path
        self.name = name
        self._local = threading.local()

    def _database(self) -> MontyDatabase:
        database = getattr(self._local, "database", None)
        if database is None:
            database = MontyClient(self.path, tz_aware=True)[self.name]
            self._local.database = database
        return database

    def find_by_id(self, collection: str, object_id: ObjectId) -> dict[str, Any] | None:
        """The document `object_id` of `collection`, read by its key alone, or None.

        Why not montydb's find_one: montydb answers every query by reading and decoding the whole
        collection (its sqlite table has no other access path), so a look-up by id cost time in
        proportion to the collection. MongoDB finds by `_id` through its index; this reads the one row
        by its primary key, with montydb's own key encoding and document decoding (montydb's layout:
        one sqlite file per collection, table `documents`, key `k`, BSON value `v`).
        """
        database = self._database()
        path = os.path.join(self.path, self.name, f"{collection}.collection")
        if not os.path.isfile(path):  # montydb creates a collection's file on its first write
            return None
        with closing(sqlite3.connect(path)) as connection:
            row = connection.execute(
                "SELECT v FROM documents WHERE k = ?", (monty_bson.id_encode(object_id),)
            ).fetchone()
        if row is None:
            return None
        return monty_bson.document_decode(row[0], codec_options=database.codec_options)

    def __getitem__(self, name: str) -> MontyCollection:
        """The collection `name`, as `db["name"]` does in pymongo."""
        return self._database()[name]

    def __getattr__(self, name: str) -> Any:
        """Anything else a pymongo Database offers (and montydb has), e.g. `db.activity_outputs`."""
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._database(), name)


DocumentDatabase: TypeAlias = "Database[dict[str, Any]] | EmbeddedDatabase"


def connect(uri: str, db_name: str, *, timeout_ms: int) -> Database[dict[str, Any]]:
    """A pymongo Database on `uri` whose every operation gives up after about `timeout_ms`.

    MongoClient connects lazily in the background, so this returns at once even if the server is down.
    """
    client: MongoClient[dict[str, Any]] = MongoClient(
        uri,
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        socketTimeoutMS=timeout_ms,
        # timeoutMS bounds the whole operation, retries included, so a retryable read still answers
        # within the budget instead of doubling it.
        timeoutMS=timeout_ms,
        retryReads=True,
        tz_aware=True,
    )
    return client[db_name]


def open_embedded(path: str, db_name: str) -> EmbeddedDatabase:
    """The embedded document store persisted at `path` (used when no MONGODB_URI is set)."""
    return EmbeddedDatabase(path, db_name)


@contextmanager
def unavailable_on_failure() -> Iterator[None]:
    """Turn "the store did not answer" errors inside the block into StoreUnavailable.

    Other errors (a bad query, a duplicate key) are bugs or rules and pass through unchanged.
    """
    try:
        yield
    except PyMongoError as exc:
        if isinstance(exc, ConnectionFailure) or exc.timeout:
            raise StoreUnavailable("documents", type(exc).__name__) from exc
        raise
    except sqlite3.OperationalError as exc:  # the embedded store: locked, unreadable or full disk
        raise StoreUnavailable("documents", str(exc)) from exc


def parse_object_id(value: object) -> ObjectId | None:
    """`value` as an ObjectId, or None when it is not one (24 hex digits or an ObjectId)."""
    if isinstance(value, ObjectId):
        return value
    if not isinstance(value, str):
        return None
    try:
        return ObjectId(value)
    except InvalidId:
        return None


def find_by_id(db: DocumentDatabase, collection: str, object_id: ObjectId) -> dict[str, Any] | None:
    """The document `object_id` of `collection`, or None; raises StoreUnavailable if the store is down."""
    with unavailable_on_failure():
        if isinstance(db, EmbeddedDatabase):
            return db.find_by_id(collection, object_id)
        return db[collection].find_one({"_id": object_id})


def ensure_indexes(db: DocumentDatabase) -> None:
    """Create the `tenantId` index on every collection the portal reads (idempotent)."""
    with unavailable_on_failure():
        for name in COLLECTIONS:
            db[name].create_index([("tenantId", ASCENDING)])


def ping(db: DocumentDatabase) -> None:
    """Raise StoreUnavailable unless the document store answers (for readiness checks)."""
    with unavailable_on_failure():
        if isinstance(db, EmbeddedDatabase):
            db.list_collection_names()
        else:
            db.command("ping")
