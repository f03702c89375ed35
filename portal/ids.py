"""Identifiers: ULIDs for ``ref_id`` (the only id in URLs) and the URL converters that refuse anything else."""

from __future__ import annotations

import os
import re
import time

from werkzeug.routing import BaseConverter

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ULID_PATTERN = r"[0-7][0-9A-HJKMNP-TV-Z]{25}"
_ULID_RE = re.compile(ULID_PATTERN)


def new_ulid(at: float | None = None) -> str:
    """A new ULID: 48 bits of milliseconds then 80 random bits, in Crockford base32 (26 characters)."""
    millis = int((time.time() if at is None else at) * 1000)
    value = (millis << 80) | int.from_bytes(os.urandom(10), "big")
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def is_ulid(value: str) -> bool:
    """Whether value is a well-formed ULID (upper case, as we write them)."""
    return bool(_ULID_RE.fullmatch(value or ""))


class UlidConverter(BaseConverter):
    """``<ulid:ref_id>``: anything but a ULID does not match the route, so it is a 404 and never a 500."""

    regex = ULID_PATTERN


class ObjectIdConverter(BaseConverter):
    """``<objectid:oid>``: a MongoDB ObjectId in hex; anything else is a 404."""

    regex = r"[0-9a-f]{24}"
