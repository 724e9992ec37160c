"""BCB webhook registrations: one URL per receiver Pix key."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pixgate import brcode, egress
from pixgate.charges.errors import InvalidInput, NotFound
from pixgate.webhooks.models import WebhookEndpoint


@dataclass(frozen=True)
class Registered:
    """A registration; `secret` is set only when it was just created (shown once)."""

    endpoint: WebhookEndpoint
    secret: str | None


def check_webhook_url(url: object, *, allow_private: bool) -> str:
    """An absolute https URL on a public address (any http(s) with the development switch)."""
    if not isinstance(url, str) or len(url) > 2048:
        raise InvalidInput("webhookUrl", "must be an absolute https URL of at most 2048 chars")
    try:
        egress.check_url(url, egress.Rules(allow_private=allow_private, https_only=True))
    except egress.Refused as exc:
        raise InvalidInput("webhookUrl", exc.reason) from None
    return url


def register(session: Session, *, chave: str, url: object, allow_private: bool = False
             ) -> Registered:
    """Create or replace the webhook of a (canonical) Pix key; a new one gets its own secret."""
    try:
        if brcode.normalize_key(chave).value != chave:
            raise InvalidInput("chave", "must be written as the DICT key (canonical form)")
    except brcode.BRCodeError as exc:
        raise InvalidInput("chave", exc.reason) from None
    url = check_webhook_url(url, allow_private=allow_private)
    endpoint = session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.chave == chave))
    secret = None
    if endpoint is None:
        secret = "whsec_" + secrets.token_urlsafe(32)
        endpoint = WebhookEndpoint(chave=chave, url=url, secret=secret)
        session.add(endpoint)
    else:
        endpoint.url = url  # the registration keeps its secret; delete and create for a new one
    session.commit()
    return Registered(endpoint=endpoint, secret=secret)


def get(session: Session, *, chave: str) -> WebhookEndpoint:
    """The webhook of a key, or NotFound."""
    endpoint = session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.chave == chave))
    if endpoint is None:
        raise NotFound(f"no webhook for key {chave!r}")
    return endpoint


def remove(session: Session, *, chave: str) -> None:
    """Stop calling the key's webhook."""
    session.delete(get(session, chave=chave))
    session.commit()


def all_endpoints(session: Session) -> list[WebhookEndpoint]:
    """Every registered webhook."""
    return list(session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))
