"""`POST /oauth/token`: client credentials, HTTP Basic, JSON or form body (SDKs send both)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from pixgate.api.body import json_object
from pixgate.charges.errors import ChargeError
from pixgate.extensions import db
from pixgate.oauth import service

bp = Blueprint("oauth", __name__)


def _oauth_error(status: int, error: str, description: str) -> Response:
    response = jsonify({"error": error, "error_description": description})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="pixgate"'
    return response


@bp.post("/oauth/token")
def token() -> Response:
    """Exchange client_id:secret for a bearer token of about an hour."""
    auth = request.authorization
    if auth is None or auth.type != "basic" or not auth.username or not auth.password:
        return _oauth_error(401, "invalid_client", "use HTTP Basic with client_id:secret")
    if request.mimetype == "application/x-www-form-urlencoded":
        grant, scope = request.form.get("grant_type"), request.form.get("scope")
    else:
        try:
            body = json_object()
        except ChargeError as exc:
            return _oauth_error(400, "invalid_request", exc.detail)
        grant, scope = body.get("grant_type"), body.get("scope")
    if grant != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "grant_type must be client_credentials")
    if scope is not None and not isinstance(scope, str):
        return _oauth_error(400, "invalid_scope", "scope must be a space-separated string")
    try:
        issued = service.issue_token(db.session, client_id=auth.username,
                                     secret=auth.password, scope=scope)
    except service.InvalidClient as exc:
        return _oauth_error(401, "invalid_client", exc.detail)
    except ChargeError as exc:
        return _oauth_error(400, "invalid_scope", exc.detail)
    response = jsonify({"access_token": issued.access_token, "token_type": "Bearer",
                        "expires_in": issued.expires_in, "scope": " ".join(issued.scopes)})
    response.headers["Cache-Control"] = "no-store"
    return response
