"""Identifier formats from the Pix standard: txids and endToEndIds."""

from __future__ import annotations

import secrets
import string
from datetime import datetime

ALPHANUMERIC = string.ascii_letters + string.digits
STATIC_TXID_LENGTH = 25  # a static BR Code's 62-05 holds at most 25 characters
SANDBOX_ISPB = "00000000"
# Charge ids are random in [2^32, 2^53): no id says anything about another one, every id is
# exact as a JavaScript number, and none can equal a sequential id from before migration 0002.
MIN_CHARGE_ID = 2**32
MAX_CHARGE_ID = 2**53 - 1


def random_alphanumeric(length: int) -> str:
    """Uniform [A-Za-z0-9] from one read of the OS's CSPRNG (a read per character was 5 % of a
    create's CPU)."""
    chars: list[str] = []
    while len(chars) < length:
        # Bytes of 248 and above are dropped: 248 = 4 * 62, so every character stays equally likely.
        chars.extend(ALPHANUMERIC[b % 62] for b in secrets.token_bytes(length + 8) if b < 248)
    return "".join(chars[:length])


def new_charge_id() -> int:
    """A random charge id, so knowing one payment's id never leads to another's."""
    return MIN_CHARGE_ID + secrets.randbelow(MAX_CHARGE_ID - MIN_CHARGE_ID + 1)


def new_txid(length: int = STATIC_TXID_LENGTH) -> str:
    """A random txid from [A-Za-z0-9]: 25 characters carry ~148 bits, unguessable and unique."""
    return random_alphanumeric(length)


def new_end_to_end_id(when: datetime, ispb: str = SANDBOX_ISPB) -> str:
    """`E` + ISPB + yyyyMMddHHmm + 11 alphanumerics, the SPI's endToEndId layout."""
    suffix = random_alphanumeric(11)
    return f"E{ispb}{when:%Y%m%d%H%M}{suffix}"


def new_return_id(when: datetime, ispb: str = SANDBOX_ISPB) -> str:
    """`D` + ISPB + yyyyMMddHHmm + 11 alphanumerics: the SPI's id for a refund (rtrId)."""
    suffix = random_alphanumeric(11)
    return f"D{ispb}{when:%Y%m%d%H%M}{suffix}"
