"""What `pixgate serve` runs inside each gunicorn worker (after gevent has patched the stdlib)."""

from __future__ import annotations

from flask import Flask

from pixgate.config import Config


def create_server_app() -> Flask:
    """Production app: gevent async mode when patched, and this process's outbox relay."""
    from gevent import monkey

    from pixgate import workers
    from pixgate.app import create_app

    mode = "gevent" if monkey.is_module_patched("socket") else "threading"
    app = create_app(Config.from_env(SOCKETIO_ASYNC_MODE=mode))
    workers.start(app)
    return app
