"""Shared pieces of the gevent client processes: create payments, open pages, sign confirmations."""

from __future__ import annotations

import json
import random
import string
from datetime import UTC, datetime
from typing import Any

import gevent
from gevent.pool import Pool

from bench.httpclient import Connection
from bench.sio import EventHandler, SioClient
from pixgate.signing import HEADER, sign


def amount_text() -> str:
    """A random amount in reais with two places, built from integer centavos."""
    cents = random.randint(1, 99_999_999)
    return f"{cents // 100}.{cents % 100:02d}"


def create_payments(port: int | list[int], count: int,
                    concurrency: int = 16) -> list[dict[str, Any]]:
    """POST /payments/pix `count` times; returns id, txid and exact value text of each.
    Values go as JSON numbers, which pixgate and the reference app both read exactly."""
    ports = port if isinstance(port, list) else [port]
    created: list[dict[str, Any]] = []
    per_worker = [count // concurrency + (1 if i < count % concurrency else 0)
                  for i in range(concurrency)]

    def worker(index: int, n: int) -> None:
        conn = Connection("127.0.0.1", ports[index % len(ports)])
        try:
            for _ in range(n):
                value = amount_text()
                status, body = conn.request("POST", "/payments/pix",
                                            f'{{"value": {value}}}'.encode(),
                                            {"Content-Type": "application/json"})
                if status != 200:
                    raise RuntimeError(f"create answered {status}: {body[:200]!r}")
                payment = json.loads(body)["payment"]
                created.append({"id": payment["id"], "txid": payment["bank_payment_id"],
                                "value": value})
        finally:
            conn.close()

    jobs = [gevent.spawn(worker, i, n) for i, n in enumerate(per_worker) if n]
    gevent.joinall(jobs, timeout=600, raise_error=True)
    return created


def confirmation(payment: dict[str, Any], secret: str) -> tuple[bytes, dict[str, str]]:
    """The signed body and headers of a legacy confirmation of `payment` (value a JSON number)."""
    body = (f'{{"bank_payment_id": {json.dumps(payment["txid"])}, '
            f'"value": {payment["value"]}}}').encode()
    return body, {"Content-Type": "application/json", HEADER: sign(secret, body)}


def pix_callback(payment: dict[str, Any], secret: str) -> tuple[bytes, dict[str, str]]:
    """The signed body and headers of a PSP callback (`POST /webhooks/pix`) paying `payment`."""
    end_to_end = "E00000000" + "".join(random.choices(string.ascii_letters + string.digits, k=23))
    pix = {"endToEndId": end_to_end, "txid": payment["txid"], "valor": payment["value"],
           "horario": datetime.now(UTC).isoformat(timespec="seconds")}
    body = json.dumps({"pix": [pix]}).encode()
    return body, {"Content-Type": "application/json", HEADER: sign(secret, body)}


def open_pages(port: int | list[int], payment_ids: list[int], on_event: EventHandler,
               concurrency: int = 100) -> tuple[list[SioClient], int]:
    """Connect one page per id, `concurrency` handshakes at a time; returns (pages, failures).
    With several ports (one per server process), pages are spread over them."""
    ports = port if isinstance(port, list) else [port]
    pages: list[SioClient] = []
    failures = [0]
    pool = Pool(concurrency)

    def connect(payment_id: int) -> None:
        page = SioClient("127.0.0.1", ports[payment_id % len(ports)], {"payment_id": payment_id},
                         on_event)
        page.payment_id = payment_id  # type: ignore[attr-defined]
        try:
            page.connect()
        except Exception:
            failures[0] += 1
            page.close()
            return
        pages.append(page)

    for payment_id in payment_ids:
        pool.spawn(connect, payment_id)
    pool.join(timeout=600)
    return pages, failures[0]
