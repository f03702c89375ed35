"""Resolving content: PostgreSQL ref → MongoDB document → S3 object, with the tenant checks on the way.

Every answer is a value with a `state` (found, missing, refused, unavailable), never an exception, so
a page can turn each into its own placeholder. A document of another tenant and a key outside the
tenant's prefix are refused before any request to S3, and logged as security events.

Versions: a document that carries `sha256` (activity outputs do) names the version of its object, so
content already rendered for (key, sha256) is served without asking S3 at all. Outputs are written once
under a fresh key, so the document's hash stays true; if the bytes fetched from S3 ever disagree with
it, the S3 ETag versions the content instead and the mismatch is logged.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Literal

from markupsafe import Markup

from . import StoreUnavailable
from .blobs import Blob, BlobMissing
from .documents import COLLECTIONS, find_by_id, parse_object_id

if TYPE_CHECKING:
    from bson import ObjectId

    from . import Stores

security_log = logging.getLogger("portal.security")
log = logging.getLogger(__name__)

State = Literal["found", "missing", "refused", "unavailable"]
Format = Literal["markdown", "json"]
_OUTSIDE = "key outside the tenant's prefix"


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one content reference.

    When found: `text` is the content (None when `html` already holds its rendering from the cache),
    `etag` its version, `key` the S3 key (None for a body kept in the document itself).
    """

    state: State
    reason: str = ""
    text: str | None = None
    format: Format = "markdown"
    size: int | None = None
    etag: str | None = None
    modified: datetime | None = None
    key: str | None = None
    document: dict[str, Any] | None = None
    html: Markup | None = None

    @property
    def cache_key(self) -> str:
        """What the rendering is cached under with `etag`: the S3 key, or the document for a body."""
        if self.key:
            return self.key
        return f"document:{self.document['_id']}" if self.document else ""


@dataclass(frozen=True)
class Original:
    """The outcome of fetching content as bytes for download: `blob` and `filename` when found."""

    state: State
    reason: str = ""
    blob: Blob | None = None
    filename: str | None = None


def check_key(key: object, tenant_ref: str) -> bool:
    """True when `key` may be read for `tenant_ref`: under `{tenant_ref}/`, relative, no `..`, no `\\`."""
    if not isinstance(key, str) or not tenant_ref or "/" in tenant_ref or ".." in tenant_ref:
        return False
    return (
        key.startswith(f"{tenant_ref}/")
        and ".." not in key
        and "\\" not in key
        and not any(ord(char) < 32 or ord(char) == 127 for char in key)
        and all(segment not in ("", ".") for segment in key.split("/"))
    )


def _refusal(what: str, tenant_ref: str, object_id: object, key: object = None) -> str:
    """Log a refused read as a security event and return `what` as the reason."""
    security_log.warning("content refused: %s (tenant=%s id=%s key=%r)", what, tenant_ref, object_id, key)
    return what


def _find_document(
    stores: Stores, collection: str, object_id: str | ObjectId, tenant_ref: str
) -> dict[str, Any] | Resolution:
    """The tenant's live document `object_id`, or the Resolution that says why there is none."""
    if collection not in COLLECTIONS:
        raise ValueError(f"unknown collection {collection!r}")
    oid = parse_object_id(object_id)
    if oid is None:
        return Resolution("missing", reason="not an ObjectId")
    document = find_by_id(stores.documents, collection, oid)
    if document is None or document.get("deletedOn") is not None:
        return Resolution("missing", reason="no document")
    if document.get("tenantId") != tenant_ref:
        return Resolution("refused", reason=_refusal("document of another tenant", tenant_ref, oid))
    return document


def _format(document: dict[str, Any], key: str | None) -> Format:
    declared = document.get("format")
    if declared in ("markdown", "json"):
        return declared
    return "json" if key and key.lower().endswith(".json") else "markdown"


def _modified(document: dict[str, Any]) -> datetime | None:
    return document.get("updatedOn") or document.get("createdOn")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _from_object(stores: Stores, document: dict[str, Any], tenant_ref: str) -> Resolution:
    """Found content whose bytes live in S3 under the document's `s3Key`."""
    key = document.get("s3Key")
    if not check_key(key, tenant_ref):
        return Resolution("refused", reason=_refusal(_OUTSIDE, tenant_ref, document["_id"], key))
    content_format = _format(document, key)
    declared_sha = document.get("sha256") if isinstance(document.get("sha256"), str) else None
    if declared_sha and (html := stores.renderer.cached(key, declared_sha)) is not None:
        return Resolution(
            "found",
            format=content_format,
            size=document.get("bytes"),
            etag=declared_sha,
            modified=_modified(document),
            key=key,
            document=document,
            html=html,
        )
    try:
        blob = stores.blobs.get(key)
    except BlobMissing:
        return Resolution("missing", reason="no object", key=key, document=document)
    etag = blob.etag
    if declared_sha:
        if _sha256(blob.body) == declared_sha:
            etag = declared_sha
        else:
            log.warning("object %s does not match its document's sha256; versioning it by ETag", key)
    return Resolution(
        "found",
        text=blob.body.decode("utf-8", errors="replace"),
        format=content_format,
        size=blob.size,
        etag=etag,
        modified=blob.last_modified,
        key=key,
        document=document,
    )


def _resolve_document(stores: Stores, document: dict[str, Any], tenant_ref: str) -> Resolution:
    body = document.get("body")
    if isinstance(body, str):
        data = body.encode()
        return Resolution(
            "found",
            text=body,
            format=_format(document, None),
            size=len(data),
            etag=_sha256(data),
            modified=_modified(document),
            document=document,
        )
    if document.get("s3Key"):
        return _from_object(stores, document, tenant_ref)
    return Resolution("missing", reason="document has no content", document=document)


def resolve(stores: Stores, collection: str, object_id: str | ObjectId, tenant_ref: str) -> Resolution:
    """Resolve `object_id` in `collection` for tenant `tenant_ref` to content, or say why not."""
    try:
        found = _find_document(stores, collection, object_id, tenant_ref)
        if isinstance(found, Resolution):
            return found
        return _resolve_document(stores, found, tenant_ref)
    except StoreUnavailable as exc:
        return Resolution("unavailable", reason=str(exc))


def _original(stores: Stores, document: dict[str, Any], tenant_ref: str) -> Original:
    name = str(document.get("refId") or document["_id"])
    body = document.get("body")
    if isinstance(body, str):
        data = body.encode()
        extension, content_type = (
            (".json", "application/json")
            if _format(document, None) == "json"
            else (".md", "text/markdown; charset=utf-8")
        )
        blob = Blob(_sha256(data), len(data), content_type, _modified(document), body=data)
        return Original("found", blob=blob, filename=name + extension)
    key = document.get("s3Key")
    if not key:
        return Original("missing", reason="document has no content")
    if not check_key(key, tenant_ref):
        return Original("refused", reason=_refusal(_OUTSIDE, tenant_ref, document["_id"], key))
    try:
        return Original("found", blob=stores.blobs.get(key), filename=PurePosixPath(key).name)
    except BlobMissing:
        return Original("missing", reason="no object")


def fetch_original(stores: Stores, collection: str, object_id: str | ObjectId, tenant_ref: str) -> Original:
    """The content behind `object_id` as bytes and a file name, with the same checks as resolve()."""
    try:
        found = _find_document(stores, collection, object_id, tenant_ref)
        if isinstance(found, Resolution):
            return Original(found.state, reason=found.reason)
        return _original(stores, found, tenant_ref)
    except StoreUnavailable as exc:
        return Original("unavailable", reason=str(exc))


def fetch_contract_pdf(stores: Stores, key: str, tenant_ref: str) -> Original:
    """The contract PDF at `key` (`{tenant}/contracts/{contract}/v{n}.pdf`), after the key checks."""
    # Only contract PDFs: this path must not become a way to read the tenant's other objects.
    if not check_key(key, tenant_ref) or key.split("/")[1] != "contracts" or not key.endswith(".pdf"):
        return Original("refused", reason=_refusal("not a contract key of the tenant", tenant_ref, None, key))
    try:
        return Original("found", blob=stores.blobs.get(key), filename=PurePosixPath(key).name)
    except BlobMissing:
        return Original("missing", reason="no object")
    except StoreUnavailable as exc:
        return Original("unavailable", reason=str(exc))
