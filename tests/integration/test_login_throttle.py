"""Dashboard sign-in throttle on every backend: per client (behind a proxy too), growing delays,
shared by every process, and not flushed by filling the table."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, select

from pixgate.app import create_app
from pixgate.dashboard import throttle
from pixgate.dashboard.models import LoginFailure
from pixgate.db.types import utcnow
from pixgate.extensions import db
from tests.factories import make_config

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _login(client: FlaskClient, password: str, **environ: str) -> int:
    token = TOKEN.search(client.get("/dashboard/login").get_data(as_text=True)).group(1)
    return client.post("/dashboard/login", data={"csrf_token": token, "password": password},
                       environ_base=environ).status_code


def _block(address: str, failures: int = 12) -> None:
    for _ in range(failures):
        throttle.record_failure(db.session, address)


def test_free_failures_then_a_growing_wait_for_that_client_only(
    app: Flask, client: FlaskClient
) -> None:
    app.config["DASHBOARD_PASSWORD"] = password = secrets.token_urlsafe()
    attacker, owner = {"REMOTE_ADDR": "203.0.113.7"}, {"REMOTE_ADDR": "198.51.100.20"}
    free = [_login(client, "wrong", **attacker) for _ in range(throttle.FREE_FAILURES - 1)]
    assert free == [401] * (throttle.FREE_FAILURES - 1)
    waits = [throttle.record_failure(db.session, "203.0.113.7") for _ in range(4)]
    assert waits == sorted(waits) and waits[0] >= 1 and waits[-1] > waits[0]
    assert _login(client, password, **attacker) == 429  # even the right password waits
    assert _login(client, "wrong", **owner) == 401  # another client is not slowed
    assert _login(client, password, **owner) == 302


def test_the_throttle_is_shared_by_every_process(
    app: Flask, backend_url: str, tmp_path: Path
) -> None:
    password = secrets.token_urlsafe()
    other = create_app(make_config(tmp_path, DATABASE_URL=backend_url, SANDBOX=True,
                                   DASHBOARD_PASSWORD=password))
    _block("203.0.113.9")
    assert _login(other.test_client(), password, REMOTE_ADDR="203.0.113.9") == 429
    other_db = other.extensions["sqlalchemy"]
    with other.app_context():
        other_db.engines[None].dispose()


def test_filling_the_table_does_not_unblock_anyone(app: Flask) -> None:
    _block("203.0.113.50")
    stale = utcnow() - throttle.FORGET_AFTER - timedelta(minutes=1)
    rows = [{"client": f"10.{i // 65536}.{i // 256 % 256}.{i % 256}", "failures": 1,
             "last_failure_at": now} for i, now in enumerate([utcnow()] * 10_001 + [stale] * 50)]
    db.session.execute(insert(LoginFailure), rows)
    db.session.commit()
    throttle.record_failure(db.session, "192.0.2.1")  # the write that used to clear everything
    assert throttle.wait_seconds(db.session, "203.0.113.50") > 0
    remaining = db.session.scalars(select(LoginFailure.client)).all()
    assert len(remaining) == 10_001 + 2  # only the 50 quiet, unblocked rows were forgotten


def test_behind_a_trusted_proxy_each_forwarded_client_is_its_own(
    app: Flask, backend_url: str, tmp_path: Path
) -> None:
    password = secrets.token_urlsafe()
    proxied = create_app(make_config(tmp_path, DATABASE_URL=backend_url, SANDBOX=True,
                                     DASHBOARD_PASSWORD=password, TRUSTED_PROXIES="1"))
    client = proxied.test_client()
    via_nginx = {"REMOTE_ADDR": "127.0.0.1"}
    _block("203.0.113.66")
    assert _login(client, password, HTTP_X_FORWARDED_FOR="203.0.113.66", **via_nginx) == 429
    assert _login(client, password, HTTP_X_FORWARDED_FOR="198.51.100.1", **via_nginx) == 302
    assert throttle.wait_seconds(db.session, "127.0.0.1") == 0  # the proxy itself never blocks


def test_without_trusted_proxies_x_forwarded_for_is_ignored(app: Flask, client: FlaskClient
                                                            ) -> None:
    app.config["DASHBOARD_PASSWORD"] = password = secrets.token_urlsafe()
    _block("203.0.113.77")
    spoofed = {"REMOTE_ADDR": "203.0.113.77", "HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    assert _login(client, password, **spoofed) == 429
