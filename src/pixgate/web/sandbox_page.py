"""The sandbox bank app (`/sandbox`, PIXGATE_SANDBOX=1 only): read a code, review it, pay it."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from pixgate.api.errors import problem
from pixgate.sandbox.qr_image import MAX_BYTES, UnreadableImage, decode_qr_image
from pixgate.web import errors
from pixgate.web.render import page

bp = Blueprint("sandbox_page", __name__)
errors.html_errors(bp, json_endpoints={"sandbox_page.decode_image"})
MAX_CODE = 512


@bp.get("/sandbox")
def index() -> Response:
    """The bank app; `?code=` pre-fills the code (the payment page's sandbox link uses it)."""
    code = request.args.get("code", "")[:MAX_CODE]
    return page("sandbox.html", code=code, max_mb=MAX_BYTES // (1024 * 1024))


@bp.post("/sandbox/decode-image")
def decode_image() -> Response:
    """Read the QR in an uploaded picture (multipart field `image`); answers its text."""
    limit = MAX_BYTES + 64 * 1024  # the picture plus the multipart envelope
    if request.content_length is not None and request.content_length > limit:
        return problem(413, "Payload too large",
                       f"the picture must be at most {MAX_BYTES // (1024 * 1024)} MB")
    request.max_content_length = limit
    upload = request.files.get("image")
    if upload is None or not upload.filename:
        return problem(400, "Bad request",
                       "send the picture as multipart/form-data in the field 'image'",
                       field="image")
    try:
        text = decode_qr_image(upload.read(MAX_BYTES + 1))
    except UnreadableImage as exc:
        return problem(422, "Invalid input", f"image: {exc}", field="image")
    return jsonify({"pixCopiaECola": text})
