"""Where reconciliation got to, and which process holds its lease (one row per kind of pass)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from pixgate.db.types import UTCDateTime
from pixgate.extensions import db


class PspCursor(db.Model):
    """`watermark`: everything received before it was read; `claimed_until`: a pass's lease."""

    __tablename__ = "psp_cursors"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    watermark: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
