"""Pix BR Code (BCB profile of EMV QRCPS-MPM): encode, decode, validate, render as QR.

Pure Python (stdlib + segno). Every failure raises BRCodeError (a ValueError).
"""

from __future__ import annotations

from .crc import crc16
from .decode import decode, validate
from .encode import encode_dynamic, encode_static
from .errors import (
    RELAXABLE_RULES,
    BRCodeError,
    CRCError,
    KeyFormatError,
    NotPixError,
    TLVError,
    ValidationError,
    Violation,
)
from .keys import PixKey, detect_kind, normalize_key
from .model import BRCode
from .qr import make_qr, qr_png, qr_svg

__all__ = [
    "RELAXABLE_RULES",
    "BRCode",
    "BRCodeError",
    "CRCError",
    "KeyFormatError",
    "NotPixError",
    "PixKey",
    "TLVError",
    "ValidationError",
    "Violation",
    "crc16",
    "decode",
    "detect_kind",
    "encode_dynamic",
    "encode_static",
    "make_qr",
    "normalize_key",
    "qr_png",
    "qr_svg",
    "validate",
]
