"""Resolving ref → document → object: every outcome, and refusals that never reach S3."""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING, Any

import pytest
from bson import ObjectId

from portal.stores import Stores
from portal.stores.blobs import S3BlobStore
from portal.stores.documents import ACTIVITY_OUTPUTS, SKILLS, STRATEGIES_CONTENT
from portal.stores.markdown import Renderer
from portal.stores.refs import check_key, fetch_contract_pdf, fetch_original, resolve
from tests.s3 import S3Server

if TYPE_CHECKING:
    from .conftest import ConnectionCounter

ARTICLE = "# Launch plan\n\n- one\n- two\n"


def add_output(stores: Stores, tenant_ref: str, key: str, body: bytes | None, **fields: Any) -> str:
    """Put `body` at `key` (unless None) and an activity_outputs document pointing at it; its id."""
    if body is not None:
        stores.blobs.put(key, body, "text/markdown")
    document = {"tenantId": tenant_ref, "s3Key": key, **fields}
    return str(stores.documents[ACTIVITY_OUTPUTS].insert_one(document).inserted_id)


def with_blobs(stores: Stores, blobs: S3BlobStore) -> Stores:
    """The same documents and renderer, another object store."""
    return Stores(documents=stores.documents, blobs=blobs, renderer=stores.renderer)


@pytest.mark.parametrize(
    ("key", "allowed"),
    [
        ("T1/activity-outputs/A/O.md", True),
        ("T1/contracts/C/v2.pdf", True),
        ("T2/activity-outputs/A/O.md", False),
        ("T1", False),
        ("T1x/a.md", False),
        ("/T1/a.md", False),
        ("T1/../T2/a.md", False),
        ("T1/a..md", False),
        ("T1/a\\b.md", False),
        ("T1//a.md", False),
        ("T1/./a.md", False),
        ("T1/a\nb.md", False),
        (None, False),
    ],
)
def test_check_key(key: object, allowed: bool) -> None:
    """Only relative keys under the tenant's own prefix, without traversal, pass."""
    assert check_key(key, "T1") is allowed


def test_check_key_needs_a_plain_tenant_ref() -> None:
    """An empty or path-like tenant ref never matches anything."""
    assert not check_key("/a.md", "")
    assert not check_key("T1/x/a.md", "T1/x")


def test_found_markdown_in_s3(stores: Stores, tenant_ref: str) -> None:
    """A document with s3Key resolves to the object's Markdown, versioned by its S3 ETag."""
    key = f"{tenant_ref}/activity-outputs/A1/O1.md"
    object_id = add_output(stores, tenant_ref, key, ARTICLE.encode())

    resolution = resolve(stores, ACTIVITY_OUTPUTS, object_id, tenant_ref)

    assert resolution.state == "found"
    assert (resolution.text, resolution.format, resolution.key) == (ARTICLE, "markdown", key)
    assert resolution.etag == hashlib.md5(ARTICLE.encode(), usedforsecurity=False).hexdigest()
    assert resolution.size == len(ARTICLE.encode())
    assert resolution.modified is not None
    assert resolution.document is not None and str(resolution.document["_id"]) == object_id
    assert "<h1" in stores.renderer.render(resolution)


@pytest.mark.parametrize(("declared", "key_extension"), [({}, ".json"), ({"format": "json"}, ".txt")])
def test_found_json_in_s3(
    stores: Stores, tenant_ref: str, declared: dict[str, str], key_extension: str
) -> None:
    """JSON is recognised from the document's format or else from the key's extension."""
    key = f"{tenant_ref}/activity-outputs/A1/O1{key_extension}"
    object_id = add_output(stores, tenant_ref, key, b'{"score": 3}', **declared)

    resolution = resolve(stores, ACTIVITY_OUTPUTS, ObjectId(object_id), tenant_ref)

    assert (resolution.state, resolution.format) == ("found", "json")
    assert 'class="json-tree"' in stores.renderer.render(resolution)


@pytest.mark.parametrize("collection", [STRATEGIES_CONTENT, SKILLS])
def test_found_body_in_document(stores: Stores, tenant_ref: str, collection: str) -> None:
    """Strategy bodies and context files carry their Markdown; the etag is its sha256."""
    object_id = stores.documents[collection].insert_one({"tenantId": tenant_ref, "body": ARTICLE}).inserted_id

    resolution = resolve(stores, collection, str(object_id), tenant_ref)

    assert (resolution.state, resolution.text, resolution.key) == ("found", ARTICLE, None)
    assert resolution.etag == hashlib.sha256(ARTICLE.encode()).hexdigest()
    assert resolution.cache_key == f"document:{object_id}"


def test_declared_sha256_serves_rendered_content_without_s3(
    stores: Stores, tenant_ref: str, counter: ConnectionCounter, bucket: str
) -> None:
    """Once rendered, content whose document carries sha256 is served from the cache: no S3 request."""
    key = f"{tenant_ref}/activity-outputs/A1/O1.md"
    sha = hashlib.sha256(ARTICLE.encode()).hexdigest()
    object_id = add_output(stores, tenant_ref, key, ARTICLE.encode(), sha256=sha)
    cold = resolve(stores, ACTIVITY_OUTPUTS, object_id, tenant_ref)
    html = stores.renderer.render(cold)

    warm = resolve(
        with_blobs(stores, S3BlobStore(bucket, endpoint_url=counter.endpoint)),
        ACTIVITY_OUTPUTS,
        object_id,
        tenant_ref,
    )

    assert (cold.etag, warm.etag) == (sha, sha)
    assert (warm.state, warm.text, warm.html) == ("found", None, html)
    assert stores.renderer.render(warm) == html
    assert (counter.connections, stores.renderer.renders) == (0, 1)


def test_sha256_mismatch_versions_by_etag(stores: Stores, tenant_ref: str) -> None:
    """If the object is not what the document's sha256 says, the S3 ETag versions it instead."""
    key = f"{tenant_ref}/activity-outputs/A1/O1.md"
    object_id = add_output(stores, tenant_ref, key, ARTICLE.encode(), sha256="0" * 64)

    resolution = resolve(stores, ACTIVITY_OUTPUTS, object_id, tenant_ref)

    assert (resolution.state, resolution.etag) == (
        "found",
        hashlib.md5(ARTICLE.encode(), usedforsecurity=False).hexdigest(),
    )


def test_missing(stores: Stores, tenant_ref: str) -> None:
    """Bad ids, absent or deleted documents, documents without content and absent objects are missing."""
    outputs = stores.documents[ACTIVITY_OUTPUTS]
    deleted = outputs.insert_one({"tenantId": tenant_ref, "body": "x", "deletedOn": "2025-01-01"}).inserted_id
    empty = outputs.insert_one({"tenantId": tenant_ref}).inserted_id
    no_object = add_output(stores, tenant_ref, f"{tenant_ref}/activity-outputs/A1/gone.md", None)

    outcomes = {
        "bad id": resolve(stores, ACTIVITY_OUTPUTS, "not-an-object-id", tenant_ref),
        "no document": resolve(stores, ACTIVITY_OUTPUTS, str(ObjectId()), tenant_ref),
        "deleted": resolve(stores, ACTIVITY_OUTPUTS, deleted, tenant_ref),
        "no content": resolve(stores, ACTIVITY_OUTPUTS, empty, tenant_ref),
        "no object": resolve(stores, ACTIVITY_OUTPUTS, no_object, tenant_ref),
    }

    assert {name: r.state for name, r in outcomes.items()} == dict.fromkeys(outcomes, "missing")
    assert outcomes["no object"].document is not None


@pytest.mark.parametrize(
    "key",
    ["OTHER/activity-outputs/A1/O1.md", "{tenant}/../OTHER/activity-outputs/A1/O1.md", "{tenant}"],
)
def test_refused_key_makes_no_s3_request(
    stores: Stores, tenant_ref: str, counter: ConnectionCounter, bucket: str, key: str, caplog
) -> None:
    """A key outside the tenant's prefix is refused and logged, and the object store is never called."""
    guarded = with_blobs(stores, S3BlobStore(bucket, endpoint_url=counter.endpoint))
    object_id = add_output(stores, tenant_ref, key.format(tenant=tenant_ref), None)

    with caplog.at_level(logging.WARNING, logger="portal.security"):
        resolution = resolve(guarded, ACTIVITY_OUTPUTS, object_id, tenant_ref)
        original = fetch_original(guarded, ACTIVITY_OUTPUTS, object_id, tenant_ref)

    assert (resolution.state, original.state) == ("refused", "refused")
    assert resolution.document is None
    assert counter.connections == 0
    assert any(tenant_ref in r.getMessage() and object_id in r.getMessage() for r in caplog.records)


def test_connection_counter_sees_requests(
    stores: Stores, tenant_ref: str, counter: ConnectionCounter, bucket: str
) -> None:
    """The control for the test above: an allowed key does reach the counting endpoint."""
    guarded = with_blobs(stores, S3BlobStore(bucket, endpoint_url=counter.endpoint))
    object_id = add_output(stores, tenant_ref, f"{tenant_ref}/activity-outputs/A1/O1.md", None)

    assert resolve(guarded, ACTIVITY_OUTPUTS, object_id, tenant_ref).state == "unavailable"
    assert counter.connections >= 1


def test_refused_document_of_another_tenant(stores: Stores, tenant_ref: str, caplog) -> None:
    """Another tenant's document is refused (not shown, not fetched) and logged as a security event."""
    object_id = add_output(stores, "OTHER", "OTHER/activity-outputs/A1/O1.md", ARTICLE.encode())

    with caplog.at_level(logging.WARNING, logger="portal.security"):
        resolution = resolve(stores, ACTIVITY_OUTPUTS, object_id, tenant_ref)

    assert (resolution.state, resolution.text, resolution.document) == ("refused", None, None)
    [record] = [r for r in caplog.records if r.name == "portal.security"]
    assert record.levelno == logging.WARNING
    assert tenant_ref in record.getMessage() and object_id in record.getMessage()


def test_unavailable_when_s3_is_down(
    stores: Stores, tenant_ref: str, own_moto: tuple[S3Server, str], bucket: str
) -> None:
    """A stopped S3 turns into "unavailable", not an exception."""
    server, endpoint = own_moto
    dying = with_blobs(stores, S3BlobStore(bucket, endpoint_url=endpoint))
    object_id = add_output(dying, tenant_ref, f"{tenant_ref}/activity-outputs/A1/O1.md", ARTICLE.encode())
    server.stop()

    assert resolve(dying, ACTIVITY_OUTPUTS, object_id, tenant_ref).state == "unavailable"
    assert fetch_original(dying, ACTIVITY_OUTPUTS, object_id, tenant_ref).state == "unavailable"


def test_fetch_original(stores: Stores, tenant_ref: str) -> None:
    """Originals come back as bytes with a file name: the key's, or the refId for a body."""
    object_id = add_output(stores, tenant_ref, f"{tenant_ref}/activity-outputs/A1/O1.md", ARTICLE.encode())
    strategy = stores.documents[STRATEGIES_CONTENT].insert_one(
        {"tenantId": tenant_ref, "refId": "01STRATEGY", "body": ARTICLE}
    )

    from_s3 = fetch_original(stores, ACTIVITY_OUTPUTS, object_id, tenant_ref)
    from_body = fetch_original(stores, STRATEGIES_CONTENT, strategy.inserted_id, tenant_ref)

    assert (from_s3.state, from_s3.filename, from_s3.blob.body) == ("found", "O1.md", ARTICLE.encode())
    assert (from_body.state, from_body.filename, from_body.blob.body) == (
        "found",
        "01STRATEGY.md",
        ARTICLE.encode(),
    )
    assert fetch_original(stores, ACTIVITY_OUTPUTS, "bad", tenant_ref).state == "missing"


def test_fetch_contract_pdf(stores: Stores, tenant_ref: str, caplog) -> None:
    """Contract PDFs are fetched under the tenant's contracts prefix only."""
    key = f"{tenant_ref}/contracts/C1/v3.pdf"
    stores.blobs.put(key, b"%PDF-1.7", "application/pdf")
    stores.blobs.put(f"{tenant_ref}/activity-outputs/A1/O1.md", b"# no", "text/markdown")

    found = fetch_contract_pdf(stores, key, tenant_ref)
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        not_contract = fetch_contract_pdf(stores, f"{tenant_ref}/activity-outputs/A1/O1.md", tenant_ref)
        other_tenant = fetch_contract_pdf(stores, "OTHER/contracts/C1/v3.pdf", tenant_ref)

    assert (found.state, found.filename, found.blob.body) == ("found", "v3.pdf", b"%PDF-1.7")
    assert (not_contract.state, other_tenant.state) == ("refused", "refused")
    assert fetch_contract_pdf(stores, f"{tenant_ref}/contracts/C1/v4.pdf", tenant_ref).state == "missing"


def test_unknown_collection_is_a_bug(stores: Stores) -> None:
    """Resolving from a collection the portal does not know is a programming error, not a state."""
    with pytest.raises(ValueError):
        resolve(stores, "users", str(ObjectId()), "T1")


def test_renderer_refuses_unfound_resolutions(stores: Stores) -> None:
    """Only found content is rendered; other states are the page's to explain."""
    with pytest.raises(ValueError):
        Renderer().render(resolve(stores, ACTIVITY_OUTPUTS, "bad", "T1"))
