"""Operations: health, readiness, Prometheus metrics, request ids and JSON logs for each process."""

from __future__ import annotations

from flask import Flask, current_app


def init_app(app: Flask) -> None:
    """Install the ops endpoints and hooks, so every process can be probed, scraped and traced."""
    from pixgate.ops import endpoints, metrics, request_ids

    metrics.init_app(app)
    request_ids.init_app(app)
    app.register_blueprint(endpoints.bp)


def socket_connected() -> None:
    """Count a Socket.IO connection opened in this process (called from the connect handler)."""
    registry = current_app.extensions.get("pixgate.metrics")
    if registry is not None:
        registry.socket_opened()


def socket_disconnected() -> None:
    """Count a Socket.IO connection closed in this process (called from the disconnect handler)."""
    registry = current_app.extensions.get("pixgate.metrics")
    if registry is not None:
        registry.socket_closed()
