"""The create and notify benchmarks: each starts its own servers on a fresh database."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench import server

CREATE_TARGET = {"rps": 700.0, "p99_ms": 50.0}  # at C=32
NOTIFY_TARGET_P99_MS = 20.0  # at K=1,000


def run_json(module: str, *args: str, timeout: float) -> dict:
    """Run a gevent client process and parse the JSON line it prints."""
    done = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True,
                          timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{module} failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def create(seconds: float, concurrencies: Sequence[int],
           processes: Sequence[int]) -> tuple[list[dict], dict]:
    """POST /payments/pix at each concurrency, against 1..N server processes; and what one
    create asks of the database, counted by MariaDB itself (noise-free, unlike timings)."""
    rows = []
    per_create: dict = {}
    with server.fresh_database() as url, tempfile.TemporaryDirectory() as tmp:
        for count in processes:
            servers = server.start(url, Path(tmp), workers=count)
            try:
                if not per_create:
                    per_create = server.statements_per_create(servers.ports[0])
                ports = [arg for port in servers.ports for arg in ("--port", str(port))]
                for concurrency in concurrencies:
                    result = run_json("bench.loadgen", *ports, "--concurrency", str(concurrency),
                                      "--seconds", str(seconds), "--warmup", "2",
                                      timeout=seconds + 120)
                    result["processes"] = count
                    if concurrency == 32:
                        met = (result["rps"] >= CREATE_TARGET["rps"]
                               and result["p99_ms"] <= CREATE_TARGET["p99_ms"])
                        result["target"] = "met" if met else "MISSED"
                    rows.append(result)
            finally:
                servers.stop()
    return rows, per_create


def notify(subscriber_counts: Sequence[int]) -> list[dict]:
    """K pages, one confirmation each in sequence; one server process with Redis."""
    rows = []
    with server.fresh_database() as url, tempfile.TemporaryDirectory() as tmp:
        servers = server.start(url, Path(tmp), workers=1)
        try:
            for count in subscriber_counts:
                result = run_json("bench.notify_client", "--port", str(servers.ports[0]),
                                  "--subscribers", str(count), "--secret", servers.secret,
                                  timeout=900)
                if count == 1000:
                    clean = not (result["missed"] or result["wrong"] or result["duplicates"])
                    met = result["p99_ms"] <= NOTIFY_TARGET_P99_MS and clean
                    result["target"] = "met" if met else "MISSED"
                rows.append(result)
        finally:
            servers.stop()
    return rows
