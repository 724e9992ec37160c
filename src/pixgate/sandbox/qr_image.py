"""Read the QR code in an uploaded picture, as a bank app's camera would (zxing-cpp + Pillow)."""

from __future__ import annotations

import io
import warnings

import zxingcpp
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 4 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 4 MB file can still unpack into a huge bitmap; refuse before decoding
FORMATS = {"PNG", "JPEG", "GIF", "WEBP", "BMP"}


class UnreadableImage(ValueError):
    """The upload is not a picture we read, or no QR code could be found in it."""


def decode_qr_image(data: bytes) -> str:
    """The text of the first QR code in the image, or UnreadableImage saying why not."""
    if not data:
        raise UnreadableImage("the file is empty")
    if len(data) > MAX_BYTES:
        raise UnreadableImage(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise UnreadableImage(f"{image.format or 'this'} images are not accepted; "
                                      "send PNG, JPEG, GIF, WebP or BMP")
            if image.width * image.height > MAX_PIXELS:
                raise UnreadableImage("the picture has too many pixels")
            image.load()
    except UnreadableImage:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            OSError, ValueError) as exc:
        reason = type(exc).__name__
        raise UnreadableImage(f"the file is not a readable picture ({reason})") from None
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    found = [r for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
             if r.valid and r.text]
    if not found:
        raise UnreadableImage("no QR code was found in the picture")
    return found[0].text
