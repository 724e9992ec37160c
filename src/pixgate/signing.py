"""Signed requests, Stripe-style: `t=<unix>,v1=<hex HMAC-SHA256 of "<t>." + body>`."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Iterable

HEADER = "X-Pixgate-Signature"
TOLERANCE_SECONDS = 300
TIMESTAMP = re.compile(r"[0-9]{1,12}")  # ASCII only: str.isdigit() also takes "²" and "٣"
HEX_DIGEST = re.compile(r"[0-9a-fA-F]{64}")
MAX_HEADER = 1024


class SignatureError(Exception):
    """Why a signature was refused; the text is safe to return to the caller."""


def secrets_from(value: str) -> list[str]:
    """PIXGATE_WEBHOOK_SECRET may list several secrets (rotation), comma-separated."""
    return [part.strip() for part in value.split(",") if part.strip()]


def compute(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 over `"<t>." + body`."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """The header value for `body`, signed now with `secret`."""
    t = int(time.time()) if timestamp is None else timestamp
    return f"t={t},v1={compute(secret, t, body)}"


def parse(header: str) -> tuple[int, list[str]]:
    """Split the header into its timestamp and every v1 value; refuse anything malformed."""
    timestamp: int | None = None
    candidates: list[str] = []
    if len(header) > MAX_HEADER:
        raise SignatureError(f"malformed {HEADER}: longer than {MAX_HEADER} characters")
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            raise SignatureError(f"malformed {HEADER}: expected t=<unix seconds>,v1=<hex>")
        if key == "t":
            if not TIMESTAMP.fullmatch(value):
                raise SignatureError(f"malformed {HEADER}: t must be unix seconds")
            timestamp = int(value)
        elif key == "v1":
            if not HEX_DIGEST.fullmatch(value):
                raise SignatureError(f"malformed {HEADER}: v1 must be 64 hex digits")
            candidates.append(value.lower())
    if timestamp is None or not candidates:
        raise SignatureError(f"malformed {HEADER}: it needs t=... and at least one v1=...")
    return timestamp, candidates


def verify(
    header: str | None,
    body: bytes,
    secrets: Iterable[str],
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> None:
    """Accept only a fresh signature made with one of `secrets`; compare in constant time."""
    if not header:
        raise SignatureError(f"missing {HEADER} header")
    timestamp, candidates = parse(header)
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise SignatureError(f"{HEADER} timestamp is more than {tolerance} s away from now")
    expected = [compute(secret, timestamp, body) for secret in secrets]
    matched = False
    for candidate in candidates:
        for value in expected:
            matched |= hmac.compare_digest(candidate, value)
    if not matched:
        raise SignatureError(f"{HEADER} does not match the request body")
