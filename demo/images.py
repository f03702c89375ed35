"""Tiny PNG images for the demo's social posts, written with zlib alone (no imaging library)."""

from __future__ import annotations

import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data and the CRC of type + data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _rgb(colour: str) -> tuple[int, int, int]:
    """#rrggbb → (r, g, b)."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def social_card(colour: str, accent: str, size: int = 96, variant: int = 0) -> bytes:
    """A square PNG: a diagonal gradient from colour to white with a band of accent (varies by variant)."""
    base, mark = _rgb(colour), _rgb(accent)
    band = (variant * 17) % size
    # Every pixel depends on x + y only, so each scanline is a slice of one strip of 2 × size colours.
    strip = bytearray()
    for diagonal in range(2 * size):
        if band <= diagonal // 2 < band + size // 8:
            strip += bytes(mark)
        else:
            mix = diagonal / (2 * size)
            strip += bytes(round(c + (255 - c) * mix * 0.7) for c in base)
    # Filter type 0 (None) before every scanline.
    pixels = b"".join(b"\x00" + strip[3 * y : 3 * (y + size)] for y in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(pixels, 9))
        + _chunk(b"IEND", b"")
    )
