"""Deterministic identifiers for the demo: the same seed gives the same uuids, ref_ids and ObjectIds.

Why: S3 keys and MongoDB ``_id``s are built from ref_ids, so a reset writes the same documents and objects
again (overwriting them) instead of leaving the previous run's behind. The catch: a seeded ULID's time part
is a fixed instant plus a counter, not the row's ``created_on`` (which is relative to "now"); ULIDs are
opaque in the portal, so only their uniqueness matters.
"""

from __future__ import annotations

import random
import uuid
import zlib

from bson import ObjectId

from portal.ids import CROCKFORD

# 2020-01-01T00:00:00Z: every seeded ULID and ObjectId sorts before anything the running app creates.
_ANCHOR_MS = 1_577_836_800_000
_SECTION_SPAN_MS = 100_000_000


class Mint:
    """Identifiers and random choices for one section of one tenant, from one seeded ``random.Random``.

    Each section (users, leads, …) gets its own Mint, so a change in how many rows one section draws does
    not shift the identifiers of every section after it.
    """

    def __init__(self, seed: str) -> None:
        """A mint seeded by a string such as ``"2024/acme/leads"`` (string seeds are stable across runs)."""
        self.rng = random.Random(seed)
        self._millis = _ANCHOR_MS + (zlib.crc32(seed.encode()) % 10_000) * _SECTION_SPAN_MS

    def uuid(self) -> uuid.UUID:
        """A version-4 UUID drawn from the seeded generator."""
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def ulid(self) -> str:
        """A ULID: a counter-advanced time part and 80 random bits from the seeded generator."""
        self._millis += 1
        value = (self._millis << 80) | self.rng.getrandbits(80)
        return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))

    def object_id(self) -> ObjectId:
        """A bson ObjectId (4-byte seconds, then 8 random bytes)."""
        self._millis += 1000
        seconds = (self._millis // 1000).to_bytes(4, "big")
        return ObjectId(seconds + self.rng.getrandbits(64).to_bytes(8, "big"))
