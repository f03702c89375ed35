"""The world outside PostgreSQL: MongoDB documents, S3 objects and the content rendered from them.

`init_app(app)` builds the three stores once from `app.config` and keeps them on
`app.extensions["stores"]`; request code reaches them with `get_stores()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:
    from .blobs import BlobStore
    from .documents import DocumentDatabase
    from .markdown import Renderer


class StoreUnavailable(Exception):
    """A store did not answer in time or could not be reached; pages show a placeholder, never a 500."""

    def __init__(self, store: str, detail: str) -> None:
        super().__init__(f"{store} unavailable: {detail}")
        self.store = store
        self.detail = detail


@dataclass(frozen=True)
class Stores:
    """The stores of one app: documents (a pymongo-style Database), blobs and the content renderer."""

    documents: DocumentDatabase
    blobs: BlobStore
    renderer: Renderer


def init_app(app: Flask) -> Stores:
    """Build the stores from `app.config` and register them on `app.extensions["stores"]`.

    Nothing here talks to MongoDB or S3, so an app starts even while they are down.
    """
    # Imported here because these modules import StoreUnavailable from this package.
    from .blobs import LocalBlobStore, S3BlobStore
    from .documents import connect, open_embedded
    from .markdown import Renderer

    config = app.config
    db_name = config["MONGODB_DB"]
    uri = config["MONGODB_URI"]
    documents: DocumentDatabase = (
        connect(uri, db_name, timeout_ms=config["MONGODB_TIMEOUT_MS"])
        if uri
        else open_embedded(config["DOCUMENT_STORE_PATH"], db_name)
    )
    bucket = config["S3_BUCKET"]
    blobs: BlobStore = (
        S3BlobStore(
            bucket,
            endpoint_url=config["S3_ENDPOINT_URL"],
            region=config["S3_REGION"],
            connect_timeout=config["S3_CONNECT_TIMEOUT"],
            read_timeout=config["S3_READ_TIMEOUT"],
        )
        if bucket
        else LocalBlobStore(config["OBJECT_STORE_PATH"])
    )
    stores = Stores(
        documents=documents,
        blobs=blobs,
        renderer=Renderer(max_entries=config["CONTENT_CACHE_ENTRIES"]),
    )
    app.extensions["stores"] = stores
    return stores


def get_stores() -> Stores:
    """The stores of the current app (requires an app context)."""
    return current_app.extensions["stores"]
