"""The capacity benchmark: open pages in batches up to N, hold them, load HTTP, close them all.

One server process (with Redis, as in production); pages are held by two gevent client
processes driven over pipes. RSS is the gunicorn worker's VmRSS from /proc.
"""

from __future__ import annotations

import json
import re
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import server
from bench.scenarios import run_json

CLIENT_PROCESSES = 2
TARGET = {"kib_per_connection": 200.0, "p99_ms": 50.0, "http_after_close_s": 1.0}


class Client:
    """One hold_client process and its command pipe."""

    def __init__(self, port: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.hold_client", "--port", str(port)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def send(self, **command: object) -> None:
        """Write one command line."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def answer(self, timeout: float) -> dict:
        """Read one answer line, or fail after `timeout` seconds."""
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError(f"hold client gave no answer in {timeout:g} s")
        answer = json.loads(self.process.stdout.readline())
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer

    def stop(self) -> None:
        """Ask it to exit; kill it if it does not within 10 s."""
        try:
            self.send(cmd="exit")
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(timeout=10)


def ask(clients: list[Client], counts: list[int] | None, cmd: str, timeout: float) -> list[dict]:
    """Send `cmd` to every client (with its share `n`), then collect every answer."""
    for index, client in enumerate(clients):
        if counts is None:
            client.send(cmd=cmd)
        else:
            client.send(cmd=cmd, n=counts[index])
    return [client.answer(timeout) for client in clients]


def shares(total: int, parts: int) -> list[int]:
    """Split `total` as evenly as possible."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def gauge(port: int) -> float:
    """The server's own count of open Socket.IO connections (NaN if it does not answer)."""
    try:
        _, body = server.http_get(port, "/metrics", timeout=10)
    except OSError:
        return float("nan")
    match = re.search(rb"^pixgate_socketio_connections (\S+)$", body, re.MULTILINE)
    return float(match.group(1)) if match else float("nan")


def progress(message: str) -> None:
    """A line on stderr, so a long run shows where it is."""
    print(f"[capacity {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(connections: int, batch: int, hold: float, load_seconds: float) -> dict:
    """Everything the capacity table shows: per-batch growth, the hold, and the close."""
    with server.fresh_database() as url, tempfile.TemporaryDirectory() as tmp:
        servers = server.start(url, Path(tmp), workers=1)
        port = servers.ports[0]
        clients = [Client(port) for _ in range(CLIENT_PROCESSES)]
        try:
            ask(clients, shares(connections, len(clients)), "prepare", timeout=900)
            worker = servers.workers()[0]
            time.sleep(2)
            base = server.rss_kib(worker)
            batches, opened, failures = [], 0, 0
            while opened + failures < connections:
                step = min(batch, connections - opened - failures)
                started = time.perf_counter()
                answers = ask(clients, shares(step, len(clients)), "open", timeout=900)
                opened = sum(a["total"] for a in answers)
                failures += sum(a["failures"] for a in answers)
                rss = server.rss_kib(worker)
                progress(f"{opened} open, {failures} failed, RSS {rss / 1024:.0f} MiB")
                batches.append({
                    "connections": opened, "batch_s": time.perf_counter() - started,
                    "failures": failures, "rss_mib": rss / 1024,
                    "kib_per_conn": (rss - base) / opened if opened else float("nan"),
                    "fds": server.open_fds(worker)})
            held = _hold(clients, port, servers.ports, hold, load_seconds)
            held.update(base_rss_mib=base / 1024, peak_rss_mib=server.rss_kib(worker) / 1024)
            held.update(_close(clients, port))
            return {"batches": batches, "summary": held}
        finally:
            for client in clients:
                client.stop()
            servers.stop()


def _hold(clients: list[Client], port: int, ports: list[int], hold: float,
          load_seconds: float) -> dict:
    started = time.monotonic()
    open_at_start = gauge(port)
    progress(f"holding {open_at_start:.0f} pages for {hold:g} s; HTTP load in the middle")
    time.sleep(max(0.0, (hold - load_seconds) / 2))
    load = run_json("bench.loadgen", *[a for p in ports for a in ("--port", str(p))],
                    "--concurrency", "8", "--seconds", str(load_seconds), "--warmup", "1",
                    timeout=load_seconds + 120)
    time.sleep(max(0.0, started + hold - time.monotonic()))
    status = ask(clients, None, "status", timeout=60)
    return {"held_s": time.monotonic() - started, "open_at_start": open_at_start,
            "open_at_end": gauge(port), "alive": sum(s["alive"] for s in status),
            "dropped": sum(s["closed"] for s in status),
            "min_pings": min(s["min_pings"] for s in status),
            "load_rps": load["rps"], "load_p99_ms": load["p99_ms"], "load_errors": load["errors"]}


def _close(clients: list[Client], port: int) -> dict:
    """Close every page at once; probe /healthz (worst latency) until the server has let them
    all go (its gauge reads 0), and for at least 5 s."""
    progress("closing every page at once")
    for client in clients:
        client.send(cmd="close")
    started = time.monotonic()
    worst, drained_at = 0.0, None
    while time.monotonic() - started < 60:
        probe = time.monotonic()
        try:
            status, _ = server.http_get(port, "/healthz", timeout=10)
        except OSError:
            status = 0
        worst = max(worst, time.monotonic() - probe if status == 200 else 10.0)
        if drained_at is None and gauge(port) == 0:
            drained_at = time.monotonic() - started
        if drained_at is not None and time.monotonic() - started >= 5:
            break
        time.sleep(0.05)
    for client in clients:
        client.answer(timeout=60)
    return {"healthz_worst_s": worst, "drained_s": drained_at, "open_after": gauge(port)}
