"""What a payer's bank fetches: the cob at a location as a signed JWS, and the JWKS (jku)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from pixgate.api.v2.errors import bcb_problem
from pixgate.charges import bcb
from pixgate.charges.errors import NotFound
from pixgate.db.types import utcnow
from pixgate.extensions import db
from pixgate.jws import keys
from pixgate.jws.sign import sign_payload
from pixgate.locations import service as locations

bp = Blueprint("payload", __name__)
JWKS_PATH = "/.well-known/jwks.json"


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
    payload = bcb.cob_payload(charge, presented_at=utcnow().isoformat())
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
