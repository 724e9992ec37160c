"""QR rendering with segno: byte mode, error level M, smallest version, 4-module quiet zone."""

from __future__ import annotations

import io

import segno

from .errors import BRCodeError

MAX_CODE = 512
MAX_SCALE = 64
ARIA_LABEL = "Pix QR code"


def make_qr(code: str) -> segno.QRCode:
    """The QR symbol for a code: its UTF-8 bytes (the bytes the CRC covers), byte mode, M."""
    if not isinstance(code, str):
        raise BRCodeError("code", f"expected str, got {type(code).__name__}", None, rule="type")
    if not code or len(code) > MAX_CODE:
        raise BRCodeError(
            "code",
            f"a BR Code has 1 to {MAX_CODE} characters, got {len(code)}",
            None,
            rule="oversize" if code else "empty",
        )
    try:
        data = code.encode("utf-8")
    except UnicodeEncodeError:
        raise BRCodeError("code", "not encodable as UTF-8", None, rule="encoding") from None
    try:
        return segno.make_qr(data, mode="byte", error="m", boost_error=False)
    except Exception as exc:  # segno.DataOverflowError and friends
        raise BRCodeError("code", f"cannot build a QR code: {exc}", None, rule="qr") from exc


def _size(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BRCodeError(name, f"{name} must be an int from {low} to {high}", None, rule="type")
    return value


def qr_svg(code: str, *, scale: int = 4, border: int = 4) -> str:
    """Inline-able <svg> markup (no XML declaration) with role="img" and an aria-label."""
    qr = make_qr(code)
    scale = _size(scale, "scale", 1, MAX_SCALE)
    border = _size(border, "border", 4, 40)
    buffer = io.BytesIO()
    try:
        qr.save(
            buffer,
            kind="svg",
            scale=scale,
            border=border,
            xmldecl=False,
            svgns=True,
            nl=False,
            title=ARIA_LABEL,
            encoding="utf-8",
        )
        svg = buffer.getvalue().decode("utf-8")
    except Exception as exc:  # defensive: only BRCodeError leaves this package
        raise BRCodeError("code", f"cannot render SVG: {exc}", None, rule="qr") from exc
    return svg.replace("<svg ", f'<svg role="img" aria-label="{ARIA_LABEL}" ', 1)


def qr_png(code: str, *, scale: int = 8, border: int = 4) -> bytes:
    """PNG bytes, e.g. for <img src="data:..."> or a download."""
    qr = make_qr(code)
    scale = _size(scale, "scale", 1, MAX_SCALE)
    border = _size(border, "border", 4, 40)
    buffer = io.BytesIO()
    try:
        qr.save(buffer, kind="png", scale=scale, border=border)
    except Exception as exc:  # defensive: only BRCodeError leaves this package
        raise BRCodeError("code", f"cannot render PNG: {exc}", None, rule="qr") from exc
    return buffer.getvalue()
