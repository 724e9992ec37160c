"""Edge authentication: signed confirmations and the optional bearer token of the legacy API."""

from __future__ import annotations

import hmac
import logging

from flask import current_app, request

from pixgate import signing
from pixgate.charges.errors import ChargeError

log = logging.getLogger(__name__)


class Unauthorized(ChargeError):
    """Missing or wrong credentials: nothing was read or changed."""

    status = 401
    title = "Unauthorized"
    code = "unauthorized"


def require_signature() -> None:
    """Verify X-Pixgate-Signature over the raw body, or let the logged demo switch through."""
    config = current_app.config
    header = request.headers.get(signing.HEADER)
    if header is None and config["ALLOW_UNSIGNED_CONFIRMATIONS"]:
        log.warning("UNSIGNED confirmation accepted on %s: PIXGATE_ALLOW_UNSIGNED_CONFIRMATIONS "
                    "is on; never use it in production", request.path)
        return
    secrets = signing.secrets_from(config["WEBHOOK_SECRET"])
    if not secrets:
        raise Unauthorized("PIXGATE_WEBHOOK_SECRET is not set, so no signature can be verified")
    try:
        signing.verify(header, request.get_data(cache=True), secrets)
    except signing.SignatureError as exc:
        raise Unauthorized(str(exc)) from None


def require_api_token() -> None:
    """With PIXGATE_API_TOKEN set, the legacy API needs `Authorization: Bearer <token>`."""
    token = current_app.config["API_TOKEN"]
    if not token:
        return
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), token):
        raise Unauthorized("send Authorization: Bearer <PIXGATE_API_TOKEN>")
