"""Smoke-test an installed pixgate as a user runs it: migrate, serve, create, show, pay.

Standard library only, so it judges the install under test and brings nothing into it.
Usage: python3 .ci/smoke.py PIXGATE_EXECUTABLE WORKDIR [--expect-js FILE]
Exits non-zero, with the server log printed, when any step fails.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


class SmokeFailure(Exception):
    """A step of the user's path did not do what the README promises."""


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, body: dict | None = None) -> tuple[int, str, bytes]:
    """GET (or POST a JSON body); returns status, content type and bytes, errors included."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET",  # noqa: S310
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - 127.0.0.1
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def expect(ok: bool, what: str, got: object = "") -> None:
    """Fail the smoke with a sentence saying which promise broke, and what came instead."""
    if not ok:
        raise SmokeFailure(f"{what}; got {got!r}" if got != "" else what)
    print(f"  ok: {what}", flush=True)


def wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    """Poll /healthz until the server answers, or fail if it exits or takes a minute."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SmokeFailure(f"pixgate serve exited with {server.returncode} before answering")
        try:
            if fetch(url + "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SmokeFailure("pixgate serve did not answer /healthz within 60 s")


def create_show_and_pay(url: str, expect_js: Path | None) -> None:
    """The README's first minutes: create a payment, open its page and QR, pay it, see it paid."""
    status, _, raw = fetch(url + "/payments/pix", {"value": 12.34})
    expect(status == 200, "POST /payments/pix answers 200 (the seed's code)", (status, raw[:300]))
    payment = json.loads(raw)["payment"]
    expect(payment["payment_url"].startswith(url + "/"),
           f"payment_url {payment['payment_url']} is on the bound address {url} "
           "(PIXGATE_PUBLIC_URL unset)")
    status, kind, page = fetch(payment["payment_url"])
    expect(status == 200 and kind.startswith("text/html"), "the payment page answers 200 HTML",
           (status, kind))
    expect(payment["brcode"].encode() in page, "the page shows the payment's BR Code")
    script = re.search(rb'<script src="([^"]*socket\.io[^"]*\.js)"', page)
    expect(script is not None, "the page loads a Socket.IO client from pixgate itself")
    src = script.group(1).decode()
    expect(src.startswith("/"), f"the Socket.IO client is served locally ({src})")
    status, kind, js = fetch(url + src)
    expect(status == 200 and b"io" in js and len(js) > 10_000,
           f"GET {src} answers the client ({len(js)} bytes)", (status, js[:200]))
    if expect_js is not None:
        expect(js == expect_js.read_bytes(), f"the served client is byte for byte {expect_js}")
    status, kind, png = fetch(url + f"/payments/pix/qr_code/{payment['qr_code']}")
    expect(status == 200 and kind == "image/png" and png.startswith(b"\x89PNG"),
           "GET /payments/pix/qr_code/<qr_code> answers a PNG", (status, kind))
    status, _, raw = fetch(url + "/sandbox/pay", {"txid": payment["bank_payment_id"]})
    expect(status == 201, "POST /sandbox/pay applies the Pix (201)", (status, raw[:300]))
    deadline = time.monotonic() + 15
    state: dict = {}
    while time.monotonic() < deadline:
        state = json.loads(fetch(url + f"/payments/pix/{payment['id']}/status")[2])
        if state.get("paid"):
            break
        time.sleep(0.2)
    expect(state.get("paid") is True and state.get("status") == "PAID",
           "GET /payments/pix/<id>/status says PAID", state)


def stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server by its PID (gunicorn's master), then its group if it lingers."""
    if server.poll() is None:
        os.kill(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        raise SmokeFailure("pixgate serve ignored SIGTERM for 20 s") from None
    print(f"  ok: server (pid {server.pid}) stopped with {server.returncode}", flush=True)


def main() -> int:
    """Run every step against a fresh SQLite database; print the server log on failure."""
    parser = argparse.ArgumentParser()
    parser.add_argument("pixgate", type=Path)
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--expect-js", type=Path)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIXGATE_")}
    env.update(PIXGATE_INSTANCE_PATH=str(args.workdir / "instance"), PIXGATE_SANDBOX="1",
               PIXGATE_WEBHOOK_SECRET=secrets.token_urlsafe(32))
    log_path = args.workdir / "server.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = None
    try:
        with log_path.open("wb") as log:
            upgrade = subprocess.run([str(args.pixgate), "db", "upgrade"], env=env,  # noqa: S603
                                     cwd=args.workdir, stdout=log, stderr=subprocess.STDOUT,
                                     timeout=120, check=False)
            expect(upgrade.returncode == 0, "pixgate db upgrade succeeds on SQLite")
            server = subprocess.Popen([str(args.pixgate), "serve", "--port", str(port)],  # noqa: S603
                                      env=env, cwd=args.workdir, stdout=log,
                                      stderr=subprocess.STDOUT, start_new_session=True)
        print(f"  pixgate serve: pid {server.pid} on {url}", flush=True)
        wait_until_up(url, server)
        create_show_and_pay(url, args.expect_js)
        stop(server)
        return 0
    except (SmokeFailure, OSError, ValueError, KeyError, subprocess.SubprocessError) as exc:
        print(f"SMOKE FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        print(f"----- server log ({log_path}) -----", file=sys.stderr)
        print(log_path.read_text(errors="replace")[-8000:], file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
