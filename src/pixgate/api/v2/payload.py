"""What a payer's bank fetches: the cob at a location as a signed JWS, and the JWKS (jku)."""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, jsonify, request

from pixgate.api.v2.errors import bcb_problem
from pixgate.charges import bcb, settlement
from pixgate.charges.errors import NotFound
from pixgate.cobv import calendar
from pixgate.cobv.valor import parse_date
from pixgate.db.types import utcnow
from pixgate.extensions import db
from pixgate.jws import keys
from pixgate.jws.sign import sign_payload
from pixgate.locations import service as locations

bp = Blueprint("payload", __name__)
JWKS_PATH = "/.well-known/jwks.json"
# IBGE municipality codes start with the state's code (11-17, 21-29, 31-35 but 34, 41-43, 50-53).
UF_CODES = {11, 12, 13, 14, 15, 16, 17, 21, 22, 23, 24, 25, 26, 27, 28, 29, 31, 32, 33, 35,
            41, 42, 43, 50, 51, 52, 53}
INVALID = "CobPayloadOperacaoInvalida"


def jku() -> str:
    """The JWKS URL, on the same host as the locations."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + JWKS_PATH


@bp.get(locations.PATH + "<token>")
def cob_payload(token: str) -> Response:
    """CobPayload as `application/jose`, current (revision, status, value, presentation time)."""
    try:
        location = locations.get_by_token(db.session, token=token)
    except NotFound:
        return bcb_problem(404, "CobPayloadNaoEncontrado", "no cob at this location")
    charge = locations.linked_charge(db.session, location)
    if charge is None:
        return bcb_problem(404, "CobPayloadNaoEncontrado", "this location shows no cob")
    if charge.kind == "cobv":
        return bcb_problem(404, "CobPayloadNaoEncontrado", "this location serves a cobv: "
                           "fetch /qr/v2/cobv/<token>")
    return _signed(bcb.cob_payload(charge, presented_at=utcnow().isoformat()))


@bp.get(locations.PATH + "cobv/<token>")
def cobv_payload(token: str) -> Response:
    """CobVPayload for the payment date `DPP` (default today in Brasília), signed."""
    try:
        location = locations.get_by_token(db.session, token=token)
    except NotFound:
        return bcb_problem(404, "CobPayloadNaoEncontrado", "no cobv at this location")
    charge = locations.linked_charge(db.session, location)
    if charge is None or charge.kind != "cobv":
        return bcb_problem(404, "CobPayloadNaoEncontrado", "this location shows no cobv")
    cod_mun = request.args.get("codMun")
    if cod_mun is not None and not (re.fullmatch(r"\d{7}", cod_mun)
                                    and int(cod_mun[:2]) in UF_CODES):
        return bcb_problem(400, INVALID, "codMun must be an IBGE municipality code (7 digits)",
                           [("codMun", "is not a code of the IBGE table")])
    today = calendar.brasilia_today()
    raw = request.args.get("DPP")
    day = today if raw is None else parse_date(raw)
    if day is None:
        return bcb_problem(400, INVALID, "DPP must be a date YYYY-MM-DD",
                           [("DPP", "is not a date YYYY-MM-DD")])
    if day < today:
        return bcb_problem(400, INVALID, f"DPP {day} is before today ({today} in Brasília)",
                           [("DPP", "is before the present moment")])
    due = settlement.due_on(charge, day)
    assert due is not None
    if not due.payable and raw is None:
        return bcb_problem(410, "CobPayloadNaoEncontrado",
                           f"this cobv could be paid until {due.last_day}")
    if not due.payable:
        return bcb_problem(400, INVALID, f"DPP {day} is after the cobv's last payable day "
                           f"{due.last_day}", [("DPP", "is after the cobv's validity")])
    return _signed(bcb.cobv_payload(charge, due, presented_at=utcnow().isoformat()))


def _signed(payload: dict) -> Response:
    key = keys.current_key(db.session, common_name=current_app.config["PUBLIC_URL"])
    response = Response(sign_payload(payload, key=key, jku=jku()), mimetype="application/jose")
    response.cache_control.no_store = True
    return response


@bp.get(JWKS_PATH)
def jwks() -> Response:
    """Every published signing key, with its certificate."""
    keys.current_key(db.session, common_name=current_app.config["PUBLIC_URL"])
    response = jsonify({"keys": [key.jwk() for key in keys.all_keys(db.session)]})
    response.cache_control.max_age = 300
    return response
