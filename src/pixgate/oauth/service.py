"""Create clients, issue tokens for client credentials, and resolve bearer tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pixgate.charges.errors import ChargeError, InvalidInput, NotFound
from pixgate.db.types import utcnow
from pixgate.oauth import SCOPES
from pixgate.oauth.models import OAuthClient, OAuthToken

TOKEN_LIFETIME = timedelta(hours=1)


class InvalidClient(ChargeError):
    """RFC 6749 `invalid_client`: unknown id or wrong secret."""

    status = 401
    title = "Unauthorized"
    code = "invalid_client"


@dataclass(frozen=True)
class Issued:
    """A fresh access token, returned once."""

    access_token: str
    scopes: tuple[str, ...]
    expires_in: int


def _hash_secret(secret: str, salt: bytes) -> str:
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def _secret_matches(secret: str, stored: str) -> bool:
    _, salt, _ = stored.split("$")
    return hmac.compare_digest(_hash_secret(secret, bytes.fromhex(salt)), stored)


def parse_scopes(raw: str | None, *, allowed: tuple[str, ...] = SCOPES) -> tuple[str, ...]:
    """Space-separated scopes; unknown ones are an error naming them."""
    if raw is None or not raw.strip():
        return allowed
    asked = tuple(dict.fromkeys(raw.split()))
    unknown = [scope for scope in asked if scope not in allowed]
    if unknown:
        raise InvalidInput("scope", f"unknown or not granted: {' '.join(unknown)}")
    return asked


def create_client(
    session: Session, *, name: str, scopes: tuple[str, ...] = SCOPES
) -> tuple[str, str]:
    """Register a client; returns (client_id, secret). Only the secret's hash is stored."""
    if not name.strip() or len(name) > 100:
        raise InvalidInput("name", "must be 1 to 100 characters")
    client_id = "pixgate_" + secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    session.add(OAuthClient(client_id=client_id, name=name.strip(), scopes=" ".join(scopes),
                            secret_hash=_hash_secret(secret, secrets.token_bytes(16))))
    session.commit()
    return client_id, secret


def issue_token(session: Session, *, client_id: str, secret: str, scope: str | None) -> Issued:
    """Client credentials grant: check the secret, grant the asked scopes it holds."""
    client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
    if client is None or not _secret_matches(secret, client.secret_hash):
        raise InvalidClient("unknown client_id or wrong secret")
    if client.revoked_at is not None:
        raise InvalidClient("this client was revoked")
    granted = parse_scopes(scope, allowed=tuple(client.scopes.split()))
    token = secrets.token_urlsafe(32)
    session.execute(delete(OAuthToken).where(OAuthToken.expires_at < utcnow()))
    session.add(OAuthToken(token_hash=hashlib.sha256(token.encode()).hexdigest(),
                           client_id=client.id, scopes=" ".join(granted),
                           expires_at=utcnow() + TOKEN_LIFETIME))
    session.commit()
    return Issued(access_token=token, scopes=granted,
                  expires_in=int(TOKEN_LIFETIME.total_seconds()))


def scopes_of(session: Session, *, token: str) -> tuple[str, ...] | None:
    """The scopes of a live token, or None when it is unknown or expired."""
    row = session.scalar(
        select(OAuthToken).join(OAuthClient, OAuthClient.id == OAuthToken.client_id).where(
            OAuthToken.token_hash == hashlib.sha256(token.encode()).hexdigest(),
            OAuthToken.expires_at > utcnow(),
            OAuthClient.revoked_at.is_(None),  # a revoked client's tokens stop at once
        )
    )
    return tuple(row.scopes.split()) if row else None


def revoke_client(session: Session, *, client_id: str) -> None:
    """Revoke a client: it gets no new token and every token it holds stops working now."""
    client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
    if client is None:
        raise NotFound(f"no client {client_id!r}")
    if client.revoked_at is None:
        client.revoked_at = utcnow()
    session.execute(delete(OAuthToken).where(OAuthToken.client_id == client.id))
    session.commit()
