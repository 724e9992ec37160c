"""pixgate: a self-hostable Pix payment server."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def create_app(config: Any = None) -> Any:
    """Build a configured Flask app; nothing runs until this is called (see `app.py`)."""
    from pixgate.app import create_app as _create_app

    return _create_app(config)
