"""CRC-16/CCITT-FALSE, the checksum that closes every BR Code (field 63)."""

from __future__ import annotations

from binascii import crc_hqx

from .errors import BRCodeError

POLY = 0x1021
INIT = 0xFFFF


def _make_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ POLY) if crc & 0x8000 else (crc << 1)
        table.append(crc & 0xFFFF)
    return tuple(table)


TABLE = _make_table()


def crc16_reference(data: bytes, crc: int = INIT) -> int:
    """Table-driven pure-Python CRC, kept as the readable reference for the fast path."""
    table = TABLE
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ table[(crc >> 8) ^ byte]
    return crc


def crc16_bytes(data: bytes) -> int:
    """CRC of raw bytes; binascii.crc_hqx is the same polynomial, unreflected, in C."""
    return crc_hqx(data, INIT)


def crc16(data: str) -> str:
    """Checksum a payload the way BR Code readers do: UTF-8 bytes, 4 upper-case hex digits."""
    if not isinstance(data, str):
        raise BRCodeError("data", f"expected str, got {type(data).__name__}", None, rule="type")
    try:
        raw = data.encode("utf-8")
    except UnicodeEncodeError:
        raise BRCodeError(
            "data", "text is not encodable as UTF-8 (lone surrogate)", None, rule="encoding"
        ) from None
    return f"{crc_hqx(raw, INIT):04X}"
