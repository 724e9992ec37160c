"""Signing keys live in the database so every process and host signs with the same ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pixgate.db.types import UTCDateTime, utcnow
from pixgate.extensions import db


class SigningKey(db.Model):
    """An RSA key and its self-signed certificate (for `x5t`/`x5c`); the newest one signs."""

    __tablename__ = "signing_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    private_pem: Mapped[str] = mapped_column(Text)
    cert_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
