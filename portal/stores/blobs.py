"""The object store: S3 through boto3 in production, a local folder for a local run.

Both answer the same calls. A missing object raises BlobMissing; a store that cannot be reached or
does not answer in time raises StoreUnavailable.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from . import StoreUnavailable

# The design allows presigned URLs of at most five minutes.
MAX_PRESIGN_SECONDS = 300

_MISSING_CODES = frozenset({"NoSuchKey", "NotFound", "404"})
_CONTENT_TYPES = {
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
    ".pdf": "application/pdf",
}


class BlobMissing(LookupError):
    """The object does not exist."""


@dataclass(frozen=True)
class BlobInfo:
    """What a HEAD tells about an object. `etag` is the md5 hex of the bytes for single-part uploads."""

    etag: str
    size: int
    content_type: str
    last_modified: datetime | None


@dataclass(frozen=True)
class Blob(BlobInfo):
    """An object with its bytes."""

    body: bytes = field(repr=False, default=b"")


class BlobStore(Protocol):
    """The calls the portal makes on an object store."""

    def get(self, key: str) -> Blob:
        """The object at `key`."""
        ...

    def head(self, key: str) -> BlobInfo:
        """The metadata of the object at `key`, without its bytes."""
        ...

    def put(self, key: str, body: bytes, content_type: str) -> str:
        """Store `body` at `key` and return its ETag."""
        ...

    def presigned_url(
        self, key: str, expires_seconds: int, filename: str | None = None, inline: bool = True
    ) -> str | None:
        """A time-limited URL for the object, or None when the store cannot make one."""
        ...

    def ping(self) -> None:
        """Raise StoreUnavailable unless the store answers."""
        ...


def content_disposition(filename: str, inline: bool = True) -> str:
    """A Content-Disposition value naming `filename`, safe for any characters it holds (RFC 6266)."""
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", filename) or "download"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


class S3BlobStore:
    """Objects in one S3 bucket (or an S3-compatible endpoint such as moto's server)."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        connect_timeout: float = 1.0,
        read_timeout: float = 2.0,
    ) -> None:
        """A client on `bucket` whose requests give up after the timeouts, with one retry at most."""
        self.bucket = bucket
        config = Config(
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            # Two attempts in all: a dead store answers in seconds, not after botocore's default retries.
            retries={"max_attempts": 2, "mode": "standard"},
            signature_version="s3v4",
        )
        self._client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region, config=config)

    @contextmanager
    def _errors(self, key: str) -> Iterator[None]:
        try:
            yield
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in _MISSING_CODES:
                raise BlobMissing(key) from exc
            # Throttling, 5xx, a missing bucket or denied access: the page cannot have the object now.
            raise StoreUnavailable("blobs", f"S3 answered {code or 'an error'}") from exc
        except BotoCoreError as exc:  # no connection, timeouts, no credentials, broken stream
            raise StoreUnavailable("blobs", type(exc).__name__) from exc

    def get(self, key: str) -> Blob:
        """The object at `key`; BlobMissing if there is none."""
        with self._errors(key):
            answer = self._client.get_object(Bucket=self.bucket, Key=key)
            body = answer["Body"].read()
        return Blob(
            etag=answer["ETag"].strip('"'),
            size=len(body),
            content_type=answer.get("ContentType", "application/octet-stream"),
            last_modified=answer.get("LastModified"),
            body=body,
        )

    def head(self, key: str) -> BlobInfo:
        """The object's metadata; BlobMissing if there is none."""
        with self._errors(key):
            answer = self._client.head_object(Bucket=self.bucket, Key=key)
        return BlobInfo(
            etag=answer["ETag"].strip('"'),
            size=answer["ContentLength"],
            content_type=answer.get("ContentType", "application/octet-stream"),
            last_modified=answer.get("LastModified"),
        )

    def put(self, key: str, body: bytes, content_type: str) -> str:
        """Store `body` at `key` and return its ETag."""
        with self._errors(key):
            answer = self._client.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type)
        return answer["ETag"].strip('"')

    def presigned_url(
        self, key: str, expires_seconds: int, filename: str | None = None, inline: bool = True
    ) -> str:
        """A GET URL valid for `expires_seconds` (1..300); with `filename`, S3 names the download.

        Signing is local: it makes no request and does not check that the object exists.
        """
        if not 0 < expires_seconds <= MAX_PRESIGN_SECONDS:
            raise ValueError(f"expires_seconds must be between 1 and {MAX_PRESIGN_SECONDS}")
        params = {"Bucket": self.bucket, "Key": key}
        if filename:
            params["ResponseContentDisposition"] = content_disposition(filename, inline)
        with self._errors(key):
            return self._client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_seconds)

    def ping(self) -> None:
        """Raise StoreUnavailable unless the bucket answers."""
        with self._errors(""):
            self._client.head_bucket(Bucket=self.bucket)


class LocalBlobStore:
    """Objects as files under one folder, for a local run. Keys never reach outside the folder.

    The folder keeps no metadata: the content type comes from the key's extension, the ETag is the md5
    hex of the bytes (as S3 computes it for single-part uploads) and the modification time is the file's.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        """Serve the folder `root`, creating it if needed."""
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        segments = key.split("/")
        if (
            not key
            or "\\" in key
            or any(ord(char) < 32 for char in key)
            or any(segment in ("", ".", "..") for segment in segments)
        ):
            raise ValueError(f"unsafe object key: {key!r}")
        path = self.root.joinpath(*segments)
        # A symlink inside the folder could still point outside it.
        if not path.resolve().is_relative_to(self.root):
            raise ValueError(f"object key leaves the store: {key!r}")
        return path

    @staticmethod
    def _content_type(key: str) -> str:
        suffix = Path(key).suffix.lower()
        return _CONTENT_TYPES.get(suffix) or mimetypes.guess_type(key)[0] or "application/octet-stream"

    def _read(self, key: str) -> tuple[bytes, os.stat_result]:
        path = self._path(key)
        try:
            with path.open("rb") as file:
                return file.read(), os.fstat(file.fileno())
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise BlobMissing(key) from exc
        except OSError as exc:
            raise StoreUnavailable("blobs", str(exc)) from exc

    def _info(self, key: str, body: bytes, stat: os.stat_result) -> BlobInfo:
        return BlobInfo(
            etag=hashlib.md5(body, usedforsecurity=False).hexdigest(),
            size=len(body),
            content_type=self._content_type(key),
            last_modified=datetime.fromtimestamp(stat.st_mtime, UTC),
        )

    def get(self, key: str) -> Blob:
        """The object at `key`; BlobMissing if there is none."""
        body, stat = self._read(key)
        info = self._info(key, body, stat)
        return Blob(info.etag, info.size, info.content_type, info.last_modified, body=body)

    def head(self, key: str) -> BlobInfo:
        """The object's metadata (the file is read to compute its md5 ETag)."""
        return self._info(key, *self._read(key))

    def put(self, key: str, body: bytes, content_type: str) -> str:
        """Store `body` at `key` and return its ETag; `content_type` is implied by the key's extension."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a reader sees the old object or the new one, never half of one.
            descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".put-")
            try:
                with os.fdopen(descriptor, "wb") as file:
                    file.write(body)
                os.replace(temporary, path)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError as exc:
            raise StoreUnavailable("blobs", str(exc)) from exc
        return hashlib.md5(body, usedforsecurity=False).hexdigest()

    def presigned_url(
        self, key: str, expires_seconds: int, filename: str | None = None, inline: bool = True
    ) -> None:
        """None: a folder cannot sign URLs, so the portal streams the object itself."""

    def ping(self) -> None:
        """Raise StoreUnavailable unless the folder exists and is writable."""
        if not (self.root.is_dir() and os.access(self.root, os.W_OK)):
            raise StoreUnavailable("blobs", f"{self.root} is not a writable folder")
