"""Creating a cob at the PSP: what pixgate adds to the upstream round trip, and TLS handshakes.

B is pixgate's sandbox behind mutual TLS (tests/psp_harness.py, certificates made at run
time). Part 1 drives the PSP client in process: each `put_cob` is timed whole and on the wire
(inside the transport's send), so "pixgate" = total - upstream is the client's own cost
(token, JSON, reading the answer). Part 2 starts merchant A (`pixgate serve`, PIXGATE_PSP=bcb)
and times `POST /payments/pix` while reading A's own PSP metrics; it says so when A's create
does not go to the PSP in this build.

Run: python -m bench psp   (or python -m bench.bench_psp [--creates 300])
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests
from tests.e2e.conftest import server_env, start_server, stop_server
from tests.psp_harness import merchant_env, start_psp

from bench.stats import percentile, table
from pixgate.psp.bcb import BcbPsp
from pixgate.psp.settings import PspSettings

KEY = "psp-b@pixgate.example"


def settings_from(env: dict[str, str]) -> PspSettings:
    """A's PspSettings from its PIXGATE_PSP_* variables."""
    return PspSettings(
        kind="bcb", base_url=env["PIXGATE_PSP_BASE_URL"], token_url=env["PIXGATE_PSP_TOKEN_URL"],
        client_id=env["PIXGATE_PSP_CLIENT_ID"], client_secret=env["PIXGATE_PSP_CLIENT_SECRET"],
        cert=env["PIXGATE_PSP_CERT"], cert_password=env["PIXGATE_PSP_CERT_PASSWORD"],
        ca_bundle=env["PIXGATE_PSP_CA_BUNDLE"])


class Timed:
    """Wraps the transport's send to add up the time spent on the wire per thread call."""

    def __init__(self, psp: BcbPsp) -> None:
        self.send = psp.transport.send
        psp.transport.send = self  # type: ignore[method-assign]
        self.last = 0.0

    def __call__(self, *args: Any, **kwargs: Any) -> requests.Response:
        started = time.perf_counter()
        try:
            return self.send(*args, **kwargs)
        finally:
            self.last = time.perf_counter() - started


def _body() -> dict[str, Any]:
    return {"calendario": {"expiracao": 3600}, "valor": {"original": "10.00"}, "chave": KEY}


def _create(psp: BcbPsp, timed: Timed | None = None) -> tuple[float, float]:
    """One PUT /cob with a new txid: (total seconds, seconds on the wire)."""
    started = time.perf_counter()
    psp.put_cob(secrets.token_hex(15), _body())
    return time.perf_counter() - started, timed.last if timed else 0.0


def client_row(settings: PspSettings, creates: int, concurrency: int) -> dict[str, object]:
    """Creates after warm-up in one client; per-call split only when sequential."""
    psp = BcbPsp(settings)
    timed = Timed(psp) if concurrency == 1 else None
    try:
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(lambda _: _create(psp), range(concurrency * 4)))  # warm-up
            warm = psp.transport.handshakes
            started = time.perf_counter()
            samples = list(pool.map(lambda _: _create(psp, timed), range(creates)))
            elapsed = time.perf_counter() - started
        paid = psp.transport.handshakes - warm
        row: dict[str, object] = {"concurrency": concurrency, "creates": creates,
                                  "creates_per_s": creates / elapsed}
        split = {"total": [t for t, _ in samples], "upstream": [u for _, u in samples],
                 "pixgate": [t - u for t, u in samples]}
        for name, values in split.items():
            shown = timed is not None or name == "total"
            row[f"{name}_p50_ms"] = percentile(values, 50) * 1000 if shown else float("nan")
            row[f"{name}_p99_ms"] = percentile(values, 99) * 1000 if shown else float("nan")
        row.update(handshakes_warmup=warm, handshakes_per_create=paid / creates,
                   token_fetches=psp.tokens.fetches, target="met" if paid == 0 else "MISSED")
        return row
    finally:
        psp.close()


def _metric(text: str, name: str, operation: str | None = None) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and (operation is None or f'operation="{operation}"' in line):
            total += float(line.rsplit(" ", 1)[1])
    return total


def merchant_row(psp_env: dict[str, str], workdir: Path, creates: int) -> dict[str, object]:
    """A's POST /payments/pix with PIXGATE_PSP=bcb; the PSP share from A's /metrics."""
    server = start_server(workdir, server_env(workdir, **psp_env))
    try:
        session = requests.Session()
        session.trust_env = False

        def create() -> float:
            started = time.perf_counter()
            answer = session.post(server.url + "/payments/pix", json={"value": "10.00"},
                                  timeout=30)
            answer.raise_for_status()
            return time.perf_counter() - started

        for _ in range(10):
            create()
        before = session.get(server.url + "/metrics", timeout=10).text
        latencies = [create() for _ in range(creates)]
        after = session.get(server.url + "/metrics", timeout=10).text
    finally:
        stop_server(server)
    calls = (_metric(after, "pixgate_psp_request_duration_seconds_count", "put_cob")
             - _metric(before, "pixgate_psp_request_duration_seconds_count", "put_cob"))
    row: dict[str, object] = {"creates": creates, "p50_ms": percentile(latencies, 50) * 1000,
                              "p99_ms": percentile(latencies, 99) * 1000}
    if calls < creates:
        row["note"] = "A's create does not call the PSP in this build (not wired yet)"
        return row
    upstream = (_metric(after, "pixgate_psp_request_duration_seconds_sum", "put_cob")
                - _metric(before, "pixgate_psp_request_duration_seconds_sum", "put_cob"))
    handshakes = (_metric(after, "pixgate_psp_tls_handshakes_total")
                  - _metric(before, "pixgate_psp_tls_handshakes_total"))
    row["upstream_mean_ms"] = upstream / calls * 1000
    row["pixgate_mean_ms"] = sum(latencies) / creates * 1000 - upstream / calls * 1000
    row["handshakes_per_create"] = handshakes / creates
    row["note"] = "met" if handshakes == 0 else "MISSED"
    return row


def main(argv: list[str] | None = None) -> int:
    """Start B, measure the client, then A; print the tables."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_psp", description=__doc__)
    parser.add_argument("--creates", type=int, default=300)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        psp = start_psp(Path(tmp) / "b")
        try:
            env = merchant_env(psp)
            rows = [client_row(settings_from(env), args.creates, c) for c in (1, 8)]
            print(table(f"psp client: PUT /cob at B over mutual TLS, {args.creates} creates "
                        "after warm-up (target: 0 handshakes per create)",
                        ["concurrency", "creates", "creates_per_s", "total_p50_ms",
                         "total_p99_ms", "upstream_p50_ms", "upstream_p99_ms", "pixgate_p50_ms",
                         "pixgate_p99_ms", "handshakes_warmup", "handshakes_per_create",
                         "token_fetches", "target"], rows), flush=True)
            a_dir = Path(tmp) / "a"
            a_dir.mkdir()
            row = merchant_row(env, a_dir, min(args.creates, 200))
            print(table("merchant A: POST /payments/pix with PIXGATE_PSP=bcb (sequential)",
                        list(row), [row]), flush=True)
        finally:
            psp.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
