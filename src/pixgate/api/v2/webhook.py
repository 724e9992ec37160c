"""`/webhook/{chave}`: where pixgate POSTs `{"pix": [...]}` for that receiver key."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from pixgate.api.body import json_object
from pixgate.api.v2.errors import bcb_errors
from pixgate.api.v2.security import requires
from pixgate.extensions import db
from pixgate.webhooks import endpoints
from pixgate.webhooks.models import WebhookEndpoint

NOT_FOUND, INVALID, QUERY = "WebhookNaoEncontrado", "WebhookOperacaoInvalida", "WebhookConsultaInvalida"  # noqa: E501


def _view(endpoint: WebhookEndpoint) -> dict:
    return {"webhookUrl": endpoint.url, "chave": endpoint.chave,
            "criacao": endpoint.created_at.isoformat()}


def register(bp: Blueprint) -> None:
    """Attach the webhook routes to the v2 blueprint."""

    @bp.put("/webhook/<chave>")
    @bcb_errors(not_found=NOT_FOUND, invalid=INVALID)
    @requires("webhook.write")
    def put_webhook(chave: str) -> Response:
        made = endpoints.register(
            db.session, chave=chave, url=json_object().get("webhookUrl"),
            allow_private=current_app.config["ALLOW_PRIVATE_WEBHOOK_URLS"])
        view = _view(made.endpoint)
        if made.secret is not None:  # only now: pixgate never shows it again
            view["webhookSecret"] = made.secret
        return jsonify(view)

    @bp.get("/webhook/<chave>")
    @bcb_errors(not_found=NOT_FOUND, invalid=QUERY)
    @requires("webhook.read")
    def get_webhook(chave: str) -> Response:
        return jsonify(_view(endpoints.get(db.session, chave=chave)))

    @bp.delete("/webhook/<chave>")
    @bcb_errors(not_found=NOT_FOUND, invalid=INVALID)
    @requires("webhook.write")
    def delete_webhook(chave: str) -> tuple[str, int]:
        endpoints.remove(db.session, chave=chave)
        return "", 204

    @bp.get("/webhook")
    @bcb_errors(not_found=NOT_FOUND, invalid=QUERY)
    @requires("webhook.read")
    def list_webhooks() -> Response:
        return jsonify({"webhooks": [_view(e) for e in endpoints.all_endpoints(db.session)]})
