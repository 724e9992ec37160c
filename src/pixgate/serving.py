"""What `pixgate serve` runs inside each gunicorn worker (after gevent has patched the stdlib).

gunicorn's gevent worker calls `gevent.monkey.patch_all()` at the start of `init_process`,
before it imports this module, so PyMySQL, redis-py and requests all use cooperative sockets.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

from flask import Flask

from pixgate.config import Config

log = logging.getLogger(__name__)

# A gevent worker runs hundreds of requests at once; the stock pool (10 + 20 overflow) opened
# and closed an overflow connection for most requests past ten, at ~1 ms of CPU each (measured,
# docs/operations.md). A fixed pool that requests queue for keeps connections warm instead.
SERVER_POOL = {"pool_size": 32, "max_overflow": 0}
BLOCKING_DRIVERS = ("mysql+mysqldb", "mysql://", "mysql+mysqlconnector", "postgresql+psycopg2",
                    "postgresql://")


class ServerConfig(Config):
    """The production server's configuration: the environment's, with a gevent-sized pool."""

    def as_flask(self) -> dict[str, Any]:
        """Flask's mapping with the pool resized for a networked database."""
        mapping = super().as_flask()
        if not mapping["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            mapping["SQLALCHEMY_ENGINE_OPTIONS"] = {**mapping["SQLALCHEMY_ENGINE_OPTIONS"],
                                                    **SERVER_POOL}
        return mapping


def create_server_app() -> Flask:
    """Production app: JSON logs, gevent mode when patched, and this process's background loops."""
    from gevent import monkey

    from pixgate import workers
    from pixgate.app import create_app
    from pixgate.extensions import socketio
    from pixgate.ops import logs
    from pixgate.ops.rooms_index import index_rooms

    patched = monkey.is_module_patched("socket")
    config = ServerConfig.from_env(SOCKETIO_ASYNC_MODE="gevent" if patched else "threading")
    logs.configure(config.LOG_LEVEL)
    app = create_app(config)
    index_rooms(socketio.server.manager)  # O(1) disconnects: 10,000 pages leaving took 37 s
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if patched and url.startswith(BLOCKING_DRIVERS):
        log.warning("the database driver in PIXGATE_DATABASE_URL blocks the gevent loop; use "
                    "mysql+pymysql:// or postgresql+psycopg://")
    log.info("worker ready", extra={"async_mode": config.SOCKETIO_ASYNC_MODE,
                                    "redis": bool(config.REDIS_URL),
                                    "database": url.split(":", 1)[0]})
    workers.start(app)
    tune_gc()
    return app


def tune_gc() -> None:
    """Fewer, not longer, full collections: their pause grows with open pages (~1 s at 10,000)."""
    gc.collect()
    gc.freeze()  # start-up objects leave the collector's view: C=32 p99 ~155 -> 80-110 ms
    # Opening 10,000 pages triggered 20 full collections (7.9 s of pauses) at the default
    # (700, 10, 10); with 100 gen-1 passes between them, 5 (3.2 s). A young collection every
    # 20,000 allocations instead of 700: create at C=32 went 800 -> 920/s, p99 53 -> 48 ms
    # (50,000 was no better and noisier).
    gc.set_threshold(20_000, 10, 100)
