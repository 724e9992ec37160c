"""Load generator process (gevent): `POST /payments/pix` at a fixed concurrency, JSON result.

Run by the benchmarks as `python -m bench.loadgen --port P [--port P2] --concurrency C
--seconds S`; it prints one JSON object. Every loop is bounded by time and by --max-requests.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time

import gevent
from gevent import monkey

from bench.httpclient import Connection
from bench.stats import summary_ms

HEADERS = {"Content-Type": "application/json"}


def _body() -> bytes:
    # A JSON number (exact in both servers: each parses it as a Decimal), not a string, which
    # the reference app refuses.
    cents = random.randint(1, 99_999_999)
    return f'{{"value": {cents // 100}.{cents % 100:02d}}}'.encode()


def run(ports: list[int], concurrency: int, seconds: float, warmup: float,
        max_requests: int) -> dict[str, object]:
    """Keep `concurrency` connections busy; record latencies after the warm-up only."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + seconds
    sent = [0]
    completed = [0]  # every 200, warm-up included: the denominator of server CPU per create

    def worker(index: int) -> None:
        conn = Connection("127.0.0.1", ports[index % len(ports)])
        try:
            while time.perf_counter() < stop_at and sent[0] < max_requests:
                sent[0] += 1
                began = time.perf_counter()
                try:
                    status, _ = conn.request("POST", "/payments/pix", _body(), HEADERS)
                except Exception as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    gevent.sleep(0.05)
                    continue
                ended = time.perf_counter()
                if status == 200:
                    completed[0] += 1
                if status != 200:
                    errors[str(status)] = errors.get(str(status), 0) + 1
                elif began >= measure_from and ended <= stop_at:
                    latencies.append(ended - began)
        finally:
            conn.close()

    gevent.joinall([gevent.spawn(worker, i) for i in range(concurrency)],
                   timeout=warmup + seconds + 30)
    elapsed = min(time.perf_counter(), stop_at) - measure_from
    result: dict[str, object] = {
        "concurrency": concurrency, "requests": len(latencies),
        "rps": len(latencies) / elapsed if elapsed > 0 else 0.0, "errors": errors,
        "completed": completed[0],
    }
    result.update(summary_ms(latencies))
    return result


def main(argv: list[str] | None = None) -> None:
    """Parse the flags, run, print the JSON result on stdout."""
    monkey.patch_all()  # before any socket exists; the modules look sockets up at call time
    parser = argparse.ArgumentParser(prog="python -m bench.loadgen")
    parser.add_argument("--port", type=int, action="append", required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--max-requests", type=int, default=200_000)
    args = parser.parse_args(argv)
    result = run(args.port, args.concurrency, args.seconds, args.warmup, args.max_requests)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
