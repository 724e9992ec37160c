"""SQLite tuning: WAL and a busy timeout so concurrent requests queue instead of failing."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event

from pixgate.extensions import db


def tune(app: Flask) -> None:
    """Apply the pragmas to every new SQLite connection of this app's engine."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
