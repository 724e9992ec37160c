"""QR images rendered on first request from the stored BR Code, then served from memory."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from pixgate import brcode

MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


@lru_cache(maxsize=4096)
def render(code: str, fmt: str) -> tuple[bytes, str]:
    """Render once per (code, format); the ETag is a digest of exactly what the image encodes."""
    if fmt == "svg":
        body = brcode.qr_svg(code, scale=6).encode("utf-8")
    else:
        body = brcode.qr_png(code, scale=8)
    etag = hashlib.sha256(f"{fmt}:{code}".encode()).hexdigest()[:32]
    return body, etag
