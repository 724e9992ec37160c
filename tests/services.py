"""Reachability of the shared services: skip locally with a how-to, fail under CI=true."""

from __future__ import annotations

import os
import socket

import pytest
from sqlalchemy.engine import URL

HOW_TO_START = {
    "mariadb": "start MariaDB on 127.0.0.1:3306 (root, empty password), e.g. "
    "`start-stop-daemon --start --background --exec /usr/sbin/mariadbd` or "
    "`docker compose up -d mysql`, or set PIXGATE_TEST_MARIADB_URL",
    "postgres": "start PostgreSQL on 127.0.0.1:5432 with trust auth, e.g. "
    "`pg_ctlcluster 15 main start`, or set PIXGATE_TEST_POSTGRES_URL",
    "redis": "start Redis on 127.0.0.1:6379, e.g. `redis-server --daemonize yes`, "
    "or set PIXGATE_TEST_REDIS_URL",
}


def in_ci() -> bool:
    """CI=true turns every missing service into a failure, never a skip."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def reachable(host: str, port: int) -> bool:
    """A TCP connect, the cheapest honest check that a server is there."""
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def require(name: str, url: URL | None = None, *, host: str = "127.0.0.1", port: int = 0) -> None:
    """Skip (or fail in CI) when the named service cannot be reached."""
    if url is not None:
        host = url.host or host
        port = url.port or {"mariadb": 3306, "postgres": 5432}[name]
    if reachable(host, port):
        return
    message = f"{name} is not reachable at {host}:{port}: {HOW_TO_START[name]}"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)
