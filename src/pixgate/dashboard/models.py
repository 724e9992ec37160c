"""Failed dashboard sign-ins per client address, shared by every process through the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pixgate.db.types import UTCDateTime
from pixgate.extensions import db


class LoginFailure(db.Model):
    """One row per client (IPv4 address or IPv6 /64); quiet rows are forgotten, blocked ones never
    early, so filling the table cannot unblock anyone."""

    __tablename__ = "login_failures"

    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
