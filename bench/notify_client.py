"""Notify client process (gevent): K pages subscribed, one confirmation each, one at a time.

Latency is from just before the confirmation POST is written to the moment the page's socket
read returns the `payment-confirmed-<id>` frame. Every event a page receives is checked: an
event for another payment is "wrong", a second confirmation is a "duplicate".
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import gevent
from gevent import monkey
from gevent.event import Event

from bench.httpclient import Connection
from bench.pages import confirmation, create_payments, open_pages, pix_callback
from bench.sio import SioClient
from bench.stats import summary_ms

EVENT_TIMEOUT = 5.0


class Tally:
    """What the pages saw: first status, confirmation time, strays and repeats."""

    def __init__(self) -> None:
        self.status_seen: dict[int, Event] = {}
        self.confirmed_at: dict[int, float] = {}
        self.confirmed: dict[int, Event] = {}
        self.wrong = 0
        self.duplicates = 0

    def expect(self, payment_id: int) -> None:
        """Register a page before it connects."""
        self.status_seen[payment_id] = Event()
        self.confirmed[payment_id] = Event()

    def on_event(self, page: SioClient, name: str, data: Any, received: float) -> None:
        """Classify one event received by `page`."""
        own = page.payment_id  # type: ignore[attr-defined]
        if name == "payment-status":
            if not isinstance(data, dict) or data.get("id") != own:
                self.wrong += 1
            else:
                self.status_seen[own].set()
        elif name.startswith("payment-confirmed-"):
            if name != f"payment-confirmed-{own}":
                self.wrong += 1
            elif own in self.confirmed_at:
                self.duplicates += 1
            else:
                self.confirmed_at[own] = received
                self.confirmed[own].set()


def run(ports: list[int], subscribers: int, secret: str, *, expect_status: bool = True,
        webhook_every: int = 0) -> dict[str, object]:
    """Create, subscribe, confirm in sequence, then report latencies and anomalies.

    `webhook_every` N > 0 sends every Nth confirmation as a PSP callback (`/webhooks/pix`)
    instead of the seed route, and reports both routes apart. `expect_status` waits for the
    `payment-status` event pixgate pushes on connect (the reference app sends none)."""
    payments = create_payments(ports, subscribers)
    tally = Tally()
    for payment in payments:
        tally.expect(payment["id"])
    started = time.perf_counter()
    pages, connect_failures = open_pages(ports, [p["id"] for p in payments], tally.on_event)
    connect_seconds = time.perf_counter() - started
    not_synced = (sum(not tally.status_seen[p["id"]].wait(30) for p in payments)
                  if expect_status else 0)

    latencies: dict[str, list[float]] = {"seed": [], "webhook": []}
    http: dict[str, list[float]] = {"seed": [], "webhook": []}
    missed = errors = 0
    connected = {page.payment_id for page in pages}  # type: ignore[attr-defined]
    conns = [Connection("127.0.0.1", port) for port in ports]
    for n, payment in enumerate(payments):
        if payment["id"] not in connected:
            continue  # reported as connect_failures; nobody is there to hear it
        route = "webhook" if webhook_every and n % webhook_every == webhook_every - 1 else "seed"
        if route == "webhook":
            path, (body, headers) = "/webhooks/pix", pix_callback(payment, secret)
        else:
            path, (body, headers) = "/payments/pix/confirmation", confirmation(payment, secret)
        sent = time.perf_counter()
        status, _ = conns[n % len(conns)].request("POST", path, body, headers)
        http[route].append(time.perf_counter() - sent)
        if status != 200:
            errors += 1
            continue
        if tally.confirmed[payment["id"]].wait(EVENT_TIMEOUT):
            latencies[route].append(tally.confirmed_at[payment["id"]] - sent)
        else:
            missed += 1
    gevent.sleep(1.0)  # late duplicates or strays would land here
    for conn in conns:
        conn.close()
    for page in pages:
        page.close()
    everything = latencies["seed"] + latencies["webhook"]
    result: dict[str, object] = {
        "subscribers": subscribers, "connected": len(pages), "connect_failures": connect_failures,
        "connect_s": connect_seconds, "not_synced": not_synced, "delivered": len(everything),
        "missed": missed, "wrong": tally.wrong,
        "duplicates": tally.duplicates, "http_errors": errors,
        "http_p50_ms": summary_ms(http["seed"] + http["webhook"])["p50_ms"],
        "http_p99_ms": summary_ms(http["seed"] + http["webhook"])["p99_ms"],
    }
    result.update(summary_ms(everything))
    for route in ("seed", "webhook"):
        if http[route]:
            result[f"{route}_http_p50_ms"] = summary_ms(http[route])["p50_ms"]
            result[f"{route}_p99_ms"] = summary_ms(latencies[route])["p99_ms"]
    return result


def main(argv: list[str] | None = None) -> None:
    """Parse the flags, run, print the JSON result on stdout."""
    monkey.patch_all()
    parser = argparse.ArgumentParser(prog="python -m bench.notify_client")
    parser.add_argument("--port", type=int, action="append", required=True)
    parser.add_argument("--subscribers", type=int, required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--no-status", action="store_true",
                        help="do not wait for payment-status on connect (reference app)")
    parser.add_argument("--webhook-every", type=int, default=0,
                        help="send every Nth confirmation to /webhooks/pix (0: never)")
    args = parser.parse_args(argv)
    result = run(args.port, args.subscribers, args.secret, expect_status=not args.no_status,
                 webhook_every=args.webhook_every)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
