"""QR images rendered on first request from the stored BR Code, then served from memory."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from markupsafe import escape

from pixgate import brcode
from pixgate.brcode.qr import ARIA_LABEL

__all__ = ["MEDIA_TYPES", "inline_svg", "render"]

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


SIZE = re.compile(r'width="(\d+)" height="(\d+)"')


def inline_svg(code: str, *, label: str) -> str:
    """The QR as markup for a page: scalable (viewBox) and labelled in the page's language."""
    svg = render(code, "svg")[0].decode("utf-8")
    svg = SIZE.sub(r'width="\1" height="\2" viewBox="0 0 \1 \2"', svg, count=1)
    safe = str(escape(label))
    return svg.replace(f'aria-label="{ARIA_LABEL}"', f'aria-label="{safe}"', 1).replace(
        f"<title>{ARIA_LABEL}</title>", f"<title>{safe}</title>", 1)
