"""Readiness checks: the database answers, its schema is at the migrations' head, Redis answers.

A load balancer (or Kubernetes) sends traffic only to a process whose checks all pass; each
check has a time budget so a black-holed server makes the probe fail fast instead of hang.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from flask import Flask
from sqlalchemy import text

from pixgate.extensions import db

BUDGET_SECONDS = 3.0


@dataclass
class Check:
    """One check's outcome, as the JSON body of /readyz shows it."""

    ok: bool
    detail: str = ""
    ms: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The check in the response body."""
        body: dict[str, Any] = {"ok": self.ok, "ms": round(self.ms, 1)}
        if self.detail:
            body["detail"] = self.detail
        body.update(self.extra)
        return body


@cache
def migration_heads() -> frozenset[str]:
    """The head revision(s) of the migrations shipped with this code (read once per process)."""
    from alembic.script import ScriptDirectory

    from pixgate.app import MIGRATIONS

    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


@contextlib.contextmanager
def _budget(seconds: float) -> Iterator[None]:
    # Under gevent a Timeout interrupts a stuck connect; threads rely on the driver's timeouts.
    from gevent import Timeout, monkey

    if not monkey.is_module_patched("socket"):
        yield
        return
    with Timeout(seconds, TimeoutError(f"no answer within {seconds:g} s")):
        yield


def _timed(probe: Callable[[], Check]) -> Check:
    started = time.perf_counter()
    try:
        with _budget(BUDGET_SECONDS):
            result = probe()
    except Exception as exc:
        result = Check(ok=False, detail=f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
                       if str(exc) else type(exc).__name__)
    result.ms = (time.perf_counter() - started) * 1000
    return result


def database_and_migrations() -> tuple[Check, Check]:
    """SELECT 1, then compare alembic_version with the shipped heads."""
    found: dict[str, Any] = {}

    def probe() -> Check:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            try:
                found["current"] = frozenset(
                    conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
                )
            except Exception:
                found["current"] = frozenset()
        return Check(ok=True)

    database = _timed(probe)
    if not database.ok:
        return database, Check(ok=False, detail="database unreachable")
    heads, current = migration_heads(), found["current"]
    migrations = Check(ok=current == heads,
                       extra={"current": sorted(current), "head": sorted(heads)})
    if not migrations.ok:
        migrations.detail = "the schema is not at this code's head: run `pixgate db upgrade`"
    return database, migrations


def redis(app: Flask) -> Check | None:
    """PING the Socket.IO message queue; None when no Redis is configured."""
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    client = app.extensions.get("pixgate.ops.redis")
    if client is None:
        import redis as redis_lib

        client = redis_lib.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        app.extensions["pixgate.ops.redis"] = client
    return _timed(lambda: Check(ok=bool(client.ping())))
