"""The object stores: S3 against moto's server over HTTP, and the local folder."""

from __future__ import annotations

import hashlib
import os
import time
import urllib.request

import pytest
from flask import Flask

from portal import config
from portal.stores import StoreUnavailable, init_app
from portal.stores.blobs import BlobMissing, LocalBlobStore, S3BlobStore, content_disposition
from tests.s3 import S3Server

BODY = "# Plan\n\nÜber alles.\n".encode()


def test_s3_put_get_head(s3_store: S3BlobStore, tenant_ref: str) -> None:
    """put returns the md5 ETag; get and head report the same version, size and type."""
    key = f"{tenant_ref}/activity-outputs/A1/O1.md"

    etag = s3_store.put(key, BODY, "text/markdown; charset=utf-8")
    blob = s3_store.get(key)
    info = s3_store.head(key)

    assert etag == hashlib.md5(BODY, usedforsecurity=False).hexdigest()
    assert (blob.body, blob.etag, blob.size) == (BODY, etag, len(BODY))
    assert blob.content_type == "text/markdown; charset=utf-8"
    assert (info.etag, info.size, info.content_type) == (etag, len(BODY), blob.content_type)
    assert blob.last_modified is not None and blob.last_modified.tzinfo is not None


def test_s3_missing_object(s3_store: S3BlobStore, tenant_ref: str) -> None:
    """A missing key raises BlobMissing on get and on head."""
    with pytest.raises(BlobMissing):
        s3_store.get(f"{tenant_ref}/nothing.md")
    with pytest.raises(BlobMissing):
        s3_store.head(f"{tenant_ref}/nothing.md")


def test_s3_presigned_url_downloads_with_a_file_name(s3_store: S3BlobStore, tenant_ref: str) -> None:
    """A presigned URL fetches the object over plain HTTP and names it as asked."""
    key = f"{tenant_ref}/contracts/C1/v1.pdf"
    s3_store.put(key, b"%PDF-1.7 test", "application/pdf")

    url = s3_store.presigned_url(key, 60, filename="Contract v1.pdf", inline=False)
    with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - an http URL to moto
        assert answer.read() == b"%PDF-1.7 test"
        assert answer.headers["Content-Disposition"] == content_disposition("Contract v1.pdf", inline=False)

    with pytest.raises(ValueError):
        s3_store.presigned_url(key, 301)


def test_content_disposition_is_safe_for_any_name() -> None:
    """Quotes, separators and non-ASCII never break out of the header value."""
    value = content_disposition('a"b;\r\nc é.pdf')
    assert value == "inline; filename=\"a_b___c__.pdf\"; filename*=UTF-8''a%22b%3B%0D%0Ac%20%C3%A9.pdf"


def test_s3_ping(s3_store: S3BlobStore) -> None:
    """ping succeeds while the bucket answers."""
    s3_store.ping()


def test_s3_stopped_server_is_unavailable_quickly(own_moto: tuple[S3Server, str], bucket: str) -> None:
    """Once the server is gone, calls raise StoreUnavailable within seconds."""
    server, endpoint = own_moto
    store = S3BlobStore(bucket, endpoint_url=endpoint)
    store.ping()
    server.stop()

    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        store.get("T1/activity-outputs/A1/O1.md")
    with pytest.raises(StoreUnavailable):
        store.ping()
    assert time.monotonic() - started < 3


def test_init_app_picks_s3_when_a_bucket_is_set(s3_endpoint: str, bucket: str, tmp_path) -> None:
    """S3_BUCKET selects the S3 store, configured from the app's settings."""
    app = Flask(__name__)
    app.config.update(
        config.load("test"),
        S3_BUCKET=bucket,
        S3_ENDPOINT_URL=s3_endpoint,
        DOCUMENT_STORE_PATH=str(tmp_path / "documents"),
    )

    stores = init_app(app)

    assert isinstance(stores.blobs, S3BlobStore)
    stores.blobs.ping()


def test_local_round_trip(tmp_path) -> None:
    """The folder store answers like S3: md5 ETag, size, type from the extension, BlobMissing."""
    store = LocalBlobStore(tmp_path / "objects")

    etag = store.put("T1/activity-outputs/A1/O1.md", BODY, "text/markdown")
    blob = store.get("T1/activity-outputs/A1/O1.md")

    assert (
        etag
        == hashlib.md5(BODY, usedforsecurity=False).hexdigest()
        == blob.etag
        == store.head("T1/activity-outputs/A1/O1.md").etag
    )
    assert (blob.body, blob.size, blob.content_type) == (BODY, len(BODY), "text/markdown; charset=utf-8")
    assert store.presigned_url("T1/activity-outputs/A1/O1.md", 60) is None
    store.ping()
    with pytest.raises(BlobMissing):
        store.get("T1/activity-outputs/A1/none.md")
    with pytest.raises(BlobMissing):
        store.get("T1/activity-outputs")  # a folder is not an object


@pytest.mark.parametrize(
    "key",
    ["../outside.md", "T1/../../outside.md", "/etc/passwd", "T1\\..\\x", "T1//x", "T1/./x", "", "T1/\x00"],
)
def test_local_refuses_keys_that_could_leave_the_folder(tmp_path, key: str) -> None:
    """Keys with traversal, absolute paths, backslashes or empty segments never touch the disk."""
    store = LocalBlobStore(tmp_path / "objects")
    with pytest.raises(ValueError):
        store.get(key)
    with pytest.raises(ValueError):
        store.put(key, b"x", "text/plain")
    assert not (tmp_path / "outside.md").exists()


def test_local_refuses_symlinks_out_of_the_folder(tmp_path) -> None:
    """A symlink inside the folder that points outside it is not followed."""
    (tmp_path / "secret.md").write_text("secret")
    store = LocalBlobStore(tmp_path / "objects")
    os.symlink(tmp_path, tmp_path / "objects" / "T1")

    with pytest.raises(ValueError):
        store.get("T1/secret.md")
