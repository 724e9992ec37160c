"""HTML edge: payment pages, the sandbox bank app and the merchant dashboard."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the page blueprints and the security headers every response carries."""
    from pixgate.web import dashboard, pages, security

    security.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(dashboard.bp)
    if app.config.get("SANDBOX"):
        from pixgate.web import sandbox_page

        app.register_blueprint(sandbox_page.bp)
