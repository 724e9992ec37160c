"""A live pixgate server (gunicorn + gevent, as users run it) for over-the-wire tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.factories import NOTIFY_SECRET, WEBHOOK_SECRET


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    """A running `pixgate serve` and how to reach it."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path


def server_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Environment for a server process: throw-away SQLite unless a test says otherwise."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIXGATE_")}
    env.update(
        PIXGATE_INSTANCE_PATH=str(tmp_path / "instance"),
        PIXGATE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        PIXGATE_NOTIFY_SECRET=NOTIFY_SECRET,
        PIXGATE_PIX_KEY="pagamentos@pixgate.example",
        PIXGATE_MERCHANT_NAME="Loja Pixgate Teste",
        PIXGATE_MERCHANT_CITY="Sao Paulo",
        PIXGATE_RELAY_POLL_SECONDS="0.5",
    )
    env.update(extra)
    return env


def start_server(tmp_path: Path, env: dict[str, str], port: int | None = None) -> LiveServer:
    """Migrate, start, and wait until the server answers HTTP."""
    subprocess.run(
        [sys.executable, "-m", "pixgate", "db", "upgrade"], env=env, check=True,
        capture_output=True, timeout=120,
    )
    port = port or free_port()
    # Socket.IO accepts only PIXGATE_PUBLIC_URL's origin: make it this server's own address.
    env = {"PIXGATE_PUBLIC_URL": f"http://127.0.0.1:{port}", **env}
    log = tmp_path / f"server-{port}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "pixgate", "serve", "--port", str(port)],
        env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
        try:
            requests.get(url + "/payments/pix/0/status", timeout=5)
            return LiveServer(url=url, process=process, log=log)
        except requests.RequestException:  # not listening yet, or still importing the app
            time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)  # the master and its worker
    process.wait(timeout=10)
    raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}")


def stop_server(server: LiveServer, sig: int = signal.SIGTERM) -> None:
    """Signal the server's whole process group (gunicorn master and workers) and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, sig)
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server per test module on a fresh SQLite database."""
    tmp_path = tmp_path_factory.mktemp("live")
    server = start_server(tmp_path, server_env(tmp_path))
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def psp_certificates(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """This module's PKI: a CA, B's server certificate, A's client .p12 (tests/psp_harness)."""
    from tests.psp_harness import make_certificates

    return make_certificates(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def psp_server(tmp_path_factory: pytest.TempPathFactory, psp_certificates):  # type: ignore[no-untyped-def]
    """Process B: pixgate's sandbox as a PSP behind mutual TLS, on SQLite, one per module."""
    from tests.psp_harness import start_psp

    server = start_psp(tmp_path_factory.mktemp("psp"), psp_certificates)
    yield server
    server.stop()
