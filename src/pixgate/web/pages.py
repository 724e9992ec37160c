"""HTML edge: the payment page (at `/pay/<txid>` and the legacy path) and its QR images."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, jsonify, request, url_for

from pixgate.charges import service, settlement
from pixgate.charges.errors import NotFound
from pixgate.charges.models import Charge, ReceivedPix
from pixgate.charges.snapshot import charge_state
from pixgate.cobv import calendar
from pixgate.db.types import utcnow
from pixgate.extensions import db
from pixgate.web import errors, i18n, qr
from pixgate.web.render import page

bp = Blueprint("pages", __name__)
errors.html_errors(bp, json_endpoints={"pages.payment_status", "pages.qr_image"})
TXID = re.compile(r"[A-Za-z0-9]{1,35}")
SCRIPT_MESSAGES = ("status_ACTIVE", "status_PAID", "status_EXPIRED", "status_REMOVED",
                   "copied", "copied_short", "copy", "copy_failed", "paid_at")


@bp.get("/pay/<txid>")
def pay(txid: str) -> Response:
    """The payer's page by txid: works for legacy charges and BCB cobs alike."""
    if not TXID.fullmatch(txid):
        raise NotFound(f"no payment has txid {txid[:40]!r}")
    return _payment_page(service.get_charge_by_txid(db.session, txid=txid))


@bp.get("/payments/pix/<int:payment_id>")
def payment_page(payment_id: int) -> Response:
    """The seed's page path, kept: the same page as `/pay/<txid>`."""
    return _payment_page(service.get_charge(db.session, charge_id=payment_id))


def _payment_page(charge: Charge) -> Response:
    now = utcnow()
    state = charge_state(charge, now)
    lang = i18n.pick_language(request)
    t = i18n.translator(lang)
    paid = db.session.query(ReceivedPix).filter_by(charge_id=charge.id).first()
    today = calendar.brasilia_today()
    due = settlement.due_on(charge, today)
    # What the page shows: the Pix actually paid, else a cobv's amount due today.
    shown = paid.amount if paid else (due.final if due is not None else charge.amount)
    amount = i18n.format_brl(shown, lang)
    parts = [] if due is None or paid else [
        (t(f"part_{name}"), ("- " if name in ("abatimento", "desconto") else "+ ")
         + i18n.format_brl(getattr(due, name), lang))
        for name in ("abatimento", "desconto", "multa", "juros") if getattr(due, name)]
    label = t("qr_label", amount=amount, name=charge.merchant_name)
    svg = qr.inline_svg(charge.brcode, label=label)
    script_data: dict[str, Any] = {
        "paymentId": charge.id, "status": state["status"], "expiresAt": state["expiration_date"],
        "serverNow": now.isoformat(),
        "statusUrl": url_for("pages.payment_status", payment_id=charge.id),
        "lang": lang, "messages": {key: t(key) for key in SCRIPT_MESSAGES},
    }
    return page(
        "payment.html", charge=charge, state=state, qr_svg=svg, amount_text=amount,
        countdown=i18n.remaining(charge.expires_at, now),
        expires_clock=i18n.clock(charge.expires_at),
        return_url=_safe_url(charge.return_url), script_data=script_data,
        show_breakdown=due is not None and not paid, due_parts=parts, today=today,
        original_text=i18n.format_brl(charge.amount, lang),
        payer_chooses=charge.amount_editable and not paid,
    )


def _safe_url(url: str | None) -> str | None:
    # Creation already refuses anything but http(s); a page never links to another scheme.
    return url if url and urlsplit(url).scheme in ("http", "https") else None


@bp.get("/payments/pix/<int:payment_id>/status")
def payment_status(payment_id: int) -> Response:
    """The page's polling fallback, with the server's clock so countdowns ignore skewed phones."""
    charge = service.get_charge(db.session, charge_id=payment_id)
    now = utcnow()
    response = jsonify({**charge_state(charge, now), "server_time": now.isoformat()})
    response.cache_control.no_store = True
    return response


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
