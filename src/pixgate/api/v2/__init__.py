"""BCB's API Pix v2, mounted at a configurable base path (default `/v2`)."""

from __future__ import annotations

from flask import Blueprint, Response

from pixgate.api.v2 import cob, loc, pix, webhook
from pixgate.api.v2.errors import bcb_problem, from_domain
from pixgate.charges.errors import ChargeError


def create_blueprint(base_path: str) -> Blueprint:
    """A fresh blueprint per app, so each app may mount the API where it likes."""
    bp = Blueprint("v2", __name__, url_prefix=base_path.rstrip("/") or None)
    for module in (cob, loc, pix, webhook):
        module.register(bp)
    bp.register_error_handler(ChargeError, _domain_error)
    return bp


def _domain_error(exc: ChargeError) -> Response:
    from pixgate.extensions import db

    db.session.rollback()
    if exc.status == 415 or (exc.status == 400 and getattr(exc, "code", "") == "bad_request"):
        return bcb_problem(exc.status, "RequisicaoInvalida", exc.detail)
    return from_domain(exc)
