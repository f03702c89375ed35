"""Fixtures for the stores: a moto S3 server over HTTP, an embedded document store, a dead endpoint."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator

import pytest

from portal.stores import Stores
from portal.stores.blobs import S3BlobStore
from portal.stores.documents import EmbeddedDatabase, open_embedded
from portal.stores.markdown import Renderer
from tests.s3 import S3Server, fake_aws, free_port, moto_with_bucket

BUCKET = "portal-test"


@pytest.fixture(scope="session", autouse=True)
def aws_environment() -> Iterator[None]:
    """Fake credentials and no shared config, so boto3 never looks beyond this test run."""
    with fake_aws():
        yield


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """One moto server for the whole session."""
    with moto_with_bucket(BUCKET) as server:
        yield server.endpoint


@pytest.fixture
def own_moto() -> Iterator[tuple[S3Server, str]]:
    """A moto server of the test's own, which the test may stop (stopping twice is harmless)."""
    with moto_with_bucket(BUCKET) as server:
        yield server, server.endpoint


@pytest.fixture
def bucket() -> str:
    """The bucket every moto server of this session has."""
    return BUCKET


@pytest.fixture
def s3_store(s3_endpoint: str) -> S3BlobStore:
    """The S3 blob store on the session's moto server."""
    return S3BlobStore(BUCKET, endpoint_url=s3_endpoint)


@pytest.fixture
def tenant_ref() -> str:
    """A fresh tenant ref (ULID-shaped), so tests sharing the bucket never see each other's keys."""
    return uuid.uuid4().hex[:26].upper()


@pytest.fixture
def embedded_db(tmp_path) -> EmbeddedDatabase:
    """An embedded document store persisted in the test's folder."""
    return open_embedded(str(tmp_path / "documents"), "portal")


@pytest.fixture
def stores(embedded_db: EmbeddedDatabase, s3_store: S3BlobStore) -> Stores:
    """Embedded documents, moto S3 and a fresh renderer."""
    return Stores(documents=embedded_db, blobs=s3_store, renderer=Renderer())


class ConnectionCounter:
    """A TCP listener that counts and drops every connection: an S3 endpoint that must never be called."""

    def __init__(self) -> None:
        """Listen on a free local port."""
        self.connections = 0
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.endpoint = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:  # closed
                return
            self.connections += 1
            connection.close()

    def close(self) -> None:
        """Stop listening."""
        self._socket.close()


@pytest.fixture
def counter() -> Iterator[ConnectionCounter]:
    """An endpoint that counts connections to it."""
    listener = ConnectionCounter()
    yield listener
    listener.close()


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on."""
    return free_port()
