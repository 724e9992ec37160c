"""Shared fixtures: real databases (SQLite, MariaDB, PostgreSQL), fresh per test session."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests import services

REPO = Path(__file__).resolve().parents[1]

BACKENDS = ("sqlite", "mariadb", "postgres")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tag database-parametrised tests with their backend marker, for `-m` selection."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("backend_url") if callspec else None
        if backend in ("mariadb", "postgres"):
            item.add_marker(getattr(pytest.mark, backend))


def _server_url(backend: str) -> str:
    if backend == "mariadb":
        return os.environ.get("PIXGATE_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
    return os.environ.get(
        "PIXGATE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )


def _fresh_database(backend: str) -> Iterator[str]:
    """Create a throw-away database on the shared server and drop it afterwards."""
    server = make_url(_server_url(backend))
    services.require(backend, server)
    name = f"pixgate_t_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    quoted = f"`{name}`" if backend == "mariadb" else f'"{name}"'
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {quoted}"))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            if backend == "postgres":
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :n AND pid <> pg_backend_pid()"
                    ),
                    {"n": name},
                )
            conn.execute(text(f"DROP DATABASE IF EXISTS {quoted}"))
        admin.dispose()


@pytest.fixture
def own_database() -> Iterator[Callable[[str], str]]:
    """A database no other test writes to, for tests that count every row in it."""
    closers: list[Iterator[str]] = []

    def make(backend: str) -> str:
        generator = _fresh_database(backend)
        closers.append(generator)
        return next(generator)

    yield make
    for generator in closers:
        for _ in generator:
            pass


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Lazily created databases, one per backend for the whole session."""
    created: dict[str, Any] = {}
    closers: list[Iterator[str]] = []

    def get(backend: str) -> str:
        if backend not in created:
            if backend == "sqlite":
                path = tmp_path_factory.mktemp("sqlite") / "pixgate.db"
                created[backend] = f"sqlite:///{path}"
            else:
                generator = _fresh_database(backend)
                created[backend] = next(generator)
                closers.append(generator)
        return created[backend]

    yield {"get": get}
    for generator in closers:
        for _ in generator:
            pass


@pytest.fixture(params=BACKENDS)
def backend_url(request: pytest.FixtureRequest, database_urls: dict[str, Any]) -> str:
    """Run the test once per database backend, over a real connection."""
    return database_urls["get"](request.param)
