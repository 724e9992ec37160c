"""HTML edge: payment pages, the sandbox bank app and the merchant dashboard."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the page blueprints (and, later, their security headers)."""
    from pixgate.web import pages

    app.register_blueprint(pages.bp)
