"""`POST /webhooks/psp/<token>/pix`: the merchant's PSP notifies here (it appends `/pix`).

The secret token in the URL only keeps strangers from making pixgate call its PSP; the body is
never trusted: each Pix is read back from the PSP before it credits anything.
"""

from __future__ import annotations

import hmac
import json

from flask import Blueprint, Response, abort, current_app, jsonify, request

from pixgate.api.body import BadRequest
from pixgate.extensions import db
from pixgate.outbox import relay
from pixgate.psp import inbound, registry

bp = Blueprint("psp_webhooks", __name__)


@bp.post("/webhooks/psp/<token>/pix")
def receive(token: str) -> tuple[Response, int]:
    """Read back every Pix the body names and store it; a PSP outage is a 503 (it retries)."""
    expected = registry.flows().webhook_token
    psp = registry.get_psp()
    if not expected or psp is None or not hmac.compare_digest(
            token.encode(), expected.encode()):
        abort(404)
    try:
        body = json.loads(request.get_data(cache=True) or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadRequest("the body must be BCB's {\"pix\": [...]} or a JSON array") from None
    if not isinstance(body, (dict, list)):
        raise BadRequest("the body must be BCB's {\"pix\": [...]} or a JSON array")
    tally = inbound.read_back(db.session, psp, body,
                              auto_refund=registry.flows().auto_refund_unmatched)
    if tally.seen or tally.refunds_moved:
        relay.kick(current_app)
    return jsonify(tally.as_dict()), 200
