"""BCB webhook registrations: one URL per receiver Pix key."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pixgate import brcode
from pixgate.charges.errors import InvalidInput, NotFound
from pixgate.webhooks.models import WebhookEndpoint


def register(session: Session, *, chave: str, url: str) -> WebhookEndpoint:
    """Create or replace the webhook of a (canonical) Pix key."""
    try:
        if brcode.normalize_key(chave).value != chave:
            raise InvalidInput("chave", "must be written as the DICT key (canonical form)")
    except brcode.BRCodeError as exc:
        raise InvalidInput("chave", exc.reason) from None
    endpoint = session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.chave == chave))
    if endpoint is None:
        endpoint = WebhookEndpoint(chave=chave, url=url)
        session.add(endpoint)
    else:
        endpoint.url = url
    session.commit()
    return endpoint


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
