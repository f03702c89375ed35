"""The document store: montydb embedded on disk with real ObjectIds, and a MongoDB that is down."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from bson import ObjectId
from flask import Flask

from portal import config
from portal.stores import StoreUnavailable, init_app
from portal.stores.documents import (
    ACTIVITY_OUTPUTS,
    EmbeddedDatabase,
    ensure_indexes,
    find_by_id,
    open_embedded,
    parse_object_id,
    ping,
)
from portal.stores.refs import resolve


def test_embedded_round_trip_with_bson_object_ids(embedded_db: EmbeddedDatabase) -> None:
    """Inserted documents get bson ObjectIds and come back by them, updates included."""
    created = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    inserted = embedded_db[ACTIVITY_OUTPUTS].insert_one({"tenantId": "T1", "createdOn": created})
    assert type(inserted.inserted_id) is ObjectId

    embedded_db[ACTIVITY_OUTPUTS].update_one({"_id": inserted.inserted_id}, {"$set": {"format": "json"}})
    document = find_by_id(embedded_db, ACTIVITY_OUTPUTS, ObjectId(str(inserted.inserted_id)))

    assert document is not None
    assert type(document["_id"]) is ObjectId
    assert document["format"] == "json"
    assert document["createdOn"] == created
    assert [d["_id"] for d in embedded_db[ACTIVITY_OUTPUTS].find({"tenantId": "T1"})] == [
        inserted.inserted_id
    ]


def test_embedded_find_by_id_reads_what_montydb_reads(embedded_db: EmbeddedDatabase) -> None:
    """The embedded store's look-up by key returns montydb's own document, updated, and None when absent."""
    collection = embedded_db[ACTIVITY_OUTPUTS]
    ids = collection.insert_many(
        [{"tenantId": f"T{n}", "n": n, "createdOn": datetime(2025, 1, n + 1, tzinfo=UTC)} for n in range(20)]
    ).inserted_ids
    collection.update_one({"_id": ids[7]}, {"$set": {"s3Key": "T7/outputs/x.md"}})

    for object_id in ids:
        assert find_by_id(embedded_db, ACTIVITY_OUTPUTS, object_id) == collection.find_one({"_id": object_id})
    assert find_by_id(embedded_db, ACTIVITY_OUTPUTS, ids[7])["s3Key"] == "T7/outputs/x.md"
    assert find_by_id(embedded_db, ACTIVITY_OUTPUTS, ObjectId()) is None
    assert find_by_id(embedded_db, "never_written", ids[0]) is None


def test_embedded_store_persists_across_clients(tmp_path) -> None:
    """A document written by one client is read by another opened later on the same folder."""
    path = str(tmp_path / "documents")
    document_id = open_embedded(path, "portal")[ACTIVITY_OUTPUTS].insert_one({"tenantId": "T1"}).inserted_id

    reopened = open_embedded(path, "portal")

    assert reopened[ACTIVITY_OUTPUTS].find_one({"_id": document_id}) == {"_id": document_id, "tenantId": "T1"}


def test_embedded_store_serves_many_threads(embedded_db: EmbeddedDatabase) -> None:
    """Concurrent reads from several threads all succeed (montydb's sqlite engine alone would not)."""
    document_id = embedded_db[ACTIVITY_OUTPUTS].insert_one({"tenantId": "T1", "n": 7}).inserted_id

    def read(_: int) -> int:
        """Read the document back; an error surfaces in the main thread through map()."""
        return embedded_db[ACTIVITY_OUTPUTS].find_one({"_id": document_id})["n"]

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert set(pool.map(read, range(180))) == {7}


def test_ensure_indexes_and_ping_on_embedded(embedded_db: EmbeddedDatabase) -> None:
    """Index creation and the readiness ping work on the embedded store."""
    ensure_indexes(embedded_db)
    ping(embedded_db)


@pytest.mark.parametrize(
    ("value", "valid"),
    [("6b0767efc0ffee0000000001", True), ("nope", False), ("6b0767efc0ffee000000000", False), (42, False)],
)
def test_parse_object_id(value: object, valid: bool) -> None:
    """Only 24 hex digits (or an ObjectId) make an ObjectId."""
    assert (parse_object_id(value) is not None) is valid


def test_init_app_uses_the_embedded_store_without_uri(tmp_path) -> None:
    """Without MONGODB_URI the app gets the embedded store at DOCUMENT_STORE_PATH."""
    app = Flask(__name__)
    app.config.update(
        config.load("test"),
        MONGODB_URI=None,
        DOCUMENT_STORE_PATH=str(tmp_path / "documents"),
        OBJECT_STORE_PATH=str(tmp_path / "objects"),
    )

    stores = init_app(app)

    assert app.extensions["stores"] is stores
    assert isinstance(stores.documents, EmbeddedDatabase)
    assert (tmp_path / "documents").is_dir()


def test_mongodb_down_answers_unavailable_quickly(tmp_path, closed_port: int) -> None:
    """With MongoDB unreachable and the default timeout, resolve says "unavailable" in seconds, not 30."""
    app = Flask(__name__)
    app.config.update(
        config.load("test"),
        MONGODB_URI=f"mongodb://127.0.0.1:{closed_port}/?directConnection=true",
        OBJECT_STORE_PATH=str(tmp_path / "objects"),
    )
    stores = init_app(app)
    try:
        started = time.monotonic()
        resolution = resolve(stores, ACTIVITY_OUTPUTS, str(ObjectId()), "T1")
        elapsed = time.monotonic() - started

        assert resolution.state == "unavailable"
        assert elapsed < 3
        with pytest.raises(StoreUnavailable):
            ping(stores.documents)
    finally:
        stores.documents.client.close()
