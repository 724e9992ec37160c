"""Clients keep only a hash of their secret; tokens are stored hashed too, so a leak of the
database gives no working credential."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pixgate.db.types import UTCDateTime, utcnow
from pixgate.extensions import db


class OAuthClient(db.Model):
    """A merchant integration allowed to call /v2 with some scopes."""

    __tablename__ = "oauth_clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    secret_hash: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class OAuthToken(db.Model):
    """An issued bearer token (by SHA-256), its scopes and expiry."""

    __tablename__ = "oauth_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("oauth_clients.id", ondelete="CASCADE"))
    scopes: Mapped[str] = mapped_column(String(400))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
