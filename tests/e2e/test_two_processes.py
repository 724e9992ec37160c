"""Two `pixgate serve` processes on two ports sharing MariaDB and Redis, as behind nginx.

Pages connect to A; confirmations are posted to B. Every page must hear its own payment
exactly once and nothing else; a page that reconnects after the event still ends PAID.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import socketio
from bench.server import free_ports
from sqlalchemy import create_engine, text

from tests import services
from tests.e2e.conftest import LiveServer, server_env, start_server, stop_server
from tests.factories import json_bytes, random_amount, signed_headers

PAYMENTS = 200
REDIS_URL = os.environ.get("PIXGATE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

pytestmark = [pytest.mark.e2e, pytest.mark.mariadb, pytest.mark.redis]


@pytest.fixture(scope="module")
def pair(
    tmp_path_factory: pytest.TempPathFactory, database_urls: dict
) -> Iterator[tuple[LiveServer, LiveServer]]:
    """Servers A and B: same database, same Redis, separate processes and ports."""
    redis = urlsplit(REDIS_URL)
    services.require("redis", host=redis.hostname or "127.0.0.1", port=redis.port or 6379)
    database = database_urls["get"]("mariadb")
    servers: list[LiveServer] = []
    channel = f"pixgate-test-{random.getrandbits(64):x}"  # this run's own, not another's
    try:
        for name in ("a", "b"):
            tmp_path = tmp_path_factory.mktemp(f"server-{name}")
            env = server_env(tmp_path, PIXGATE_DATABASE_URL=database, PIXGATE_REDIS_URL=REDIS_URL,
                             PIXGATE_REDIS_CHANNEL=channel)
            servers.append(start_server(tmp_path, env))
            if name == "a":
                _start_ids_at_random(database)
        yield servers[0], servers[1]
    finally:
        for server in servers:
            stop_server(server)


def _start_ids_at_random(database: str) -> None:
    # Belt and braces with the run's own Redis channel: a fresh database starts ids at 1, and
    # a server left on the default channel by another run would share those rooms.
    engine = create_engine(database)
    with engine.begin() as conn:
        conn.execute(text(f"ALTER TABLE charges AUTO_INCREMENT = {random.randint(10**7, 10**9)}"))
    engine.dispose()


class Page:
    """A Socket.IO client standing in for one open payment page; records every event."""

    def __init__(self, server: LiveServer, payment_id: int) -> None:
        self.payment_id = payment_id
        self.events: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        self.status_seen = threading.Event()
        self.confirmed = threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._record)
        self.client.connect(server.url, auth={"payment_id": payment_id},
                            transports=["websocket"], wait_timeout=10)

    def _record(self, event: str, data: dict) -> None:
        with self.lock:
            self.events.append((event, data))
        if event == "payment-status":
            self.status_seen.set()
        if event.startswith("payment-confirmed-"):
            self.confirmed.set()

    def named(self, prefix: str) -> list[tuple[str, dict]]:
        """Events whose name starts with `prefix`."""
        with self.lock:
            return [(name, data) for name, data in self.events if name.startswith(prefix)]


def _create(server: LiveServer) -> dict:
    response = requests.post(server.url + "/payments/pix",
                             json={"value": str(random_amount())}, timeout=10)
    assert response.status_code == 200, response.text
    payment = json.loads(response.text, parse_float=str)["payment"]
    return payment


def _confirm(server: LiveServer, payment: dict) -> int:
    raw = json_bytes({"bank_payment_id": payment["bank_payment_id"], "value": payment["value"]})
    response = requests.post(server.url + "/payments/pix/confirmation", data=raw,
                             headers=signed_headers(raw), timeout=10)
    return response.status_code


def _wait(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_confirmations_posted_to_b_reach_pages_on_a_exactly_once(
    pair: tuple[LiveServer, LiveServer],
) -> None:
    a, b = pair
    for server in pair:
        ready = requests.get(server.url + "/readyz", timeout=10)
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["redis"]["ok"] is True
    with ThreadPoolExecutor(max_workers=8) as pool:
        payments = list(pool.map(lambda i: _create(a if i % 2 else b), range(PAYMENTS)))
    with ThreadPoolExecutor(max_workers=16) as pool:
        pages = list(pool.map(lambda p: Page(a, p["id"]), payments))
    try:
        assert all(page.status_seen.wait(10) for page in pages)
        gauge = requests.get(a.url + "/metrics", timeout=10).text
        assert f"pixgate_socketio_connections {float(PAYMENTS)}" in gauge

        with ThreadPoolExecutor(max_workers=8) as pool:
            codes = list(pool.map(lambda p: _confirm(b, p), payments))
        assert codes == [200] * PAYMENTS
        assert _wait(lambda: all(page.confirmed.is_set() for page in pages), 30), sum(
            not page.confirmed.is_set() for page in pages)
        time.sleep(1.0)  # room for a duplicate or a stray event to arrive, if one were coming

        for page in pages:
            confirmed = page.named("payment-confirmed-")
            assert [name for name, _ in confirmed] == [f"payment-confirmed-{page.payment_id}"]
            assert confirmed[0][1]["status"] == "PAID"
            with page.lock:
                ids = {data.get("id") for _, data in page.events}
            assert ids == {page.payment_id}, (page.payment_id, ids)
            statuses = [data["status"] for _, data in page.named("payment-status")]
            assert statuses == ["ACTIVE"]  # once, on joining; the transition is the event above
    finally:
        for page in pages:
            page.client.disconnect()
    assert _wait(lambda: "pixgate_socketio_connections 0.0" in requests.get(
        a.url + "/metrics", timeout=10).text, 10)


def test_page_reconnecting_after_the_event_gets_paid_from_the_other_process(
    pair: tuple[LiveServer, LiveServer],
) -> None:
    a, b = pair
    payment = _create(a)
    leaving, witness = Page(a, payment["id"]), Page(a, payment["id"])
    assert leaving.status_seen.wait(10) and witness.status_seen.wait(10)
    leaving.client.disconnect()
    try:
        assert _confirm(b, payment) == 200
        assert witness.confirmed.wait(10)  # the event has been emitted and delivered
        back = Page(b, payment["id"])
        try:
            assert back.status_seen.wait(10)
            first_name, first = back.events[0]
            assert first_name == "payment-status" and first["status"] == "PAID"
            assert back.named("payment-confirmed-") == []  # it was before this connection
        finally:
            back.client.disconnect()
    finally:
        witness.client.disconnect()


def test_servers_log_json_lines_with_request_ids_and_no_monkeypatch_warning(
    pair: tuple[LiveServer, LiveServer],
) -> None:
    sent_id = "two-proc-" + os.urandom(4).hex()
    response = requests.get(pair[0].url + "/payments/pix/999999999/status",
                            headers={"X-Request-Id": sent_id}, timeout=10)
    assert response.status_code == 404
    assert response.headers["X-Request-Id"] == sent_id
    for server in pair:
        text = server.log.read_text()
        assert "MonkeyPatchWarning" not in text
        lines = [line for line in text.splitlines() if line.startswith("{")]
        assert lines and all(isinstance(json.loads(line), dict) for line in lines)
    assert _wait(lambda: any(
        json.loads(line).get("request_id") == sent_id
        for line in pair[0].log.read_text().splitlines() if line.startswith("{")), 5)


def test_serve_workers_2_listens_on_consecutive_ports_and_stops_on_sigterm(
    tmp_path: Path,
) -> None:
    redis = urlsplit(REDIS_URL)
    services.require("redis", host=redis.hostname or "127.0.0.1", port=redis.port or 6379)
    env = server_env(tmp_path, PIXGATE_REDIS_URL=REDIS_URL)
    subprocess.run([sys.executable, "-m", "pixgate", "db", "upgrade"], env=env, check=True,
                   capture_output=True, timeout=120)
    first = free_ports(2)
    env["PIXGATE_PUBLIC_URL"] = f"http://127.0.0.1:{first}"  # the page's origin (Socket.IO)
    log = tmp_path / "serve.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "pixgate", "serve", "--workers", "2", "--port", str(first)],
        env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
    urls = [f"http://127.0.0.1:{port}" for port in (first, first + 1)]
    try:
        assert _wait(lambda: all(_answers(url) for url in urls), 30), log.read_text()[-2000:]
        page = socketio.Client(reconnection=False)
        page.connect(urls[0], transports=["websocket"], wait_timeout=10)
        try:  # two processes: a page on the first is not counted by the second
            gauges = [requests.get(url + "/metrics", timeout=5).text for url in urls]
            assert "pixgate_socketio_connections 1.0" in gauges[0]
            assert "pixgate_socketio_connections 0.0" in gauges[1]
        finally:
            page.disconnect()
        process.send_signal(signal.SIGTERM)  # the supervisor alone; it forwards to both
        assert process.wait(timeout=30) == 0
        assert not any(_answers(url) for url in urls)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _answers(url: str) -> bool:
    try:
        return requests.get(url + "/healthz", timeout=2).status_code == 200
    except requests.RequestException:  # refused, or bound but the worker is still booting
        return False
