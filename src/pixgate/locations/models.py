"""A location is created once and may be linked to at most one cob at a time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pixgate.db.types import UTCDateTime, utcnow
from pixgate.extensions import db


class Location(db.Model):
    """`location` is host + path without scheme (BR Code 26-25, at most 77 characters)."""

    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    location: Mapped[str] = mapped_column(String(77))
    kind: Mapped[str] = mapped_column(String(8), default="cob")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
