"""HTML edge: the payment page and its QR images (legacy paths kept)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from pixgate.charges import service
from pixgate.charges.errors import NotFound
from pixgate.charges.snapshot import charge_state
from pixgate.extensions import db
from pixgate.web import qr

bp = Blueprint("pages", __name__)


@bp.get("/payments/pix/<int:payment_id>")
def payment_page(payment_id: int) -> str:
    """The page a payer keeps open: QR and code while pending, confirmation once paid."""
    charge = service.get_charge(db.session, charge_id=payment_id)
    receiver = current_app.extensions["pixgate.receiver"]
    svg, _ = qr.render(charge.brcode, "svg")
    return render_template(
        "payment.html",
        charge=charge,
        state=charge_state(charge),
        receiver=receiver,
        qr_svg=svg.decode("utf-8"),
    )


@bp.get("/payments/pix/<int:payment_id>/status")
def payment_status(payment_id: int) -> Response:
    """The page's polling fallback when WebSocket can't connect."""
    charge = service.get_charge(db.session, charge_id=payment_id)
    return jsonify(charge_state(charge))


@bp.get("/payments/pix/qr_code/<string:qr_code>")
def qr_image(qr_code: str) -> Response:
    """The payment's QR as PNG (or SVG with a `.svg` suffix), cacheable by ETag."""
    txid, _, suffix = qr_code.partition(".")
    fmt = "svg" if suffix == "svg" else "png"
    if suffix not in ("", "png", "svg"):
        raise NotFound(f"unknown image format {suffix!r}; use .png or .svg")
    charge = service.get_charge_by_txid(db.session, txid=txid)
    body, etag = qr.render(charge.brcode, fmt)
    response = Response(body, mimetype=qr.MEDIA_TYPES[fmt])
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    response.cache_control.immutable = True
    return response.make_conditional(request)
