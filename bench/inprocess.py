"""CPU per request, in-process: the app's WSGI callable on MariaDB, no server, no load generator.

On a machine shared with other work, latencies and throughput move with the neighbours; the
CPU time a process spends per request (user + system, from getrusage) moves far less. This
calls the WSGI app directly with prebuilt environ dicts (building them is outside the timer)
and divides the process's CPU by the requests. It runs pixgate or, with the reference app's
own venv, the reference app from where it lives (never copied here):

    .venv/bin/python -m bench.inprocess pixgate create
    /tmp/refvenv/bin/python bench/inprocess.py reference confirm

Operations: create (POST /payments/pix), confirm (signed seed confirmation), webhook (a signed
`/webhooks/pix` callback; pixgate only). pixgate's confirmations include publishing: with the
fast path its settle runs every 10 requests inside the timer; with --relay, the relay's drain.
Both apps run with gevent's monkey patching, as they are served (the reference patches itself
on import), so each database round trip pays for gevent's sockets on both sides;
`--no-gevent` measures pixgate on plain threads, and `--calls` counts the Python calls per
request instead of timing them (repeatable where CPU time is not).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import json
import os
import random
import resource
import secrets
import string
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from werkzeug.test import EnvironBuilder

SECRET = "whsec_" + secrets.token_hex(16)
HEADER = "X-Pixgate-Signature"
REFERENCE = Path(__file__).resolve().parent.parent.parent / "shared" / "reference"


def _sign(body: bytes) -> str:
    t = int(time.time())
    mac = hmac.new(SECRET.encode(), str(t).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def _reference(database: str) -> tuple[Callable[..., Any], Callable[[], object]]:
    os.environ.update(REFERENCE_DB_URL=database, REFERENCE_SECRET=SECRET)
    sys.path.insert(0, str(Path(os.environ.get("PIXGATE_BENCH_REFERENCE_DIR", REFERENCE))))
    import reference_app  # type: ignore[import-not-found]

    reference_app.init_db()
    return reference_app.app, lambda: None


def _pixgate(database: str, relay: bool,
             async_mode: str) -> tuple[Callable[..., Any], Callable[[], object]]:
    os.environ.update(PIXGATE_DATABASE_URL=database, PIXGATE_WEBHOOK_SECRET=SECRET)
    from flask_migrate import upgrade

    from pixgate.app import MIGRATIONS, create_app
    from pixgate.ops import logs
    from pixgate.realtime import publisher
    from pixgate.serving import ServerConfig
    from pixgate.webhooks import fanout

    logs.configure("INFO", open(os.devnull, "w"))  # noqa: SIM115 - the JSON access log, dropped
    app = create_app(ServerConfig.from_env(SOCKETIO_ASYNC_MODE=async_mode))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))

    def fan_out(session: Any, message: Any) -> None:
        fanout.fan_out(session, message, notify_url=None)

    if relay:
        from pixgate.outbox.relay import Relay

        return app, Relay(app, [publisher.publish, fan_out]).drain
    from pixgate.outbox.fastpath import FastPath

    def fan_out_all(session: Any, messages: Any) -> None:
        fanout.fan_out_all(session, messages, notify_url=None)

    fast = FastPath(app, inline=[publisher.publish], deferred=[fan_out_all])
    fast.settle_delay = 0.0
    return app, fast.settle


def _call(app: Callable[..., Any], environ: dict[str, Any]) -> tuple[str, bytes]:
    status: list[str] = []
    body = b"".join(app(environ, lambda s, _h, _e=None: status.append(s)))
    return status[0], body


def _environ(path: str, body: bytes, **headers: str) -> dict[str, Any]:
    return EnvironBuilder(path=path, method="POST", data=body, content_type="application/json",
                          headers=headers).get_environ()


def _create_environ() -> dict[str, Any]:
    cents = random.randint(1, 99_999_999)
    return _environ("/payments/pix", f'{{"value": {cents // 100}.{cents % 100:02d}}}'.encode())


def _confirm_environ(app: Callable[..., Any], operation: str) -> dict[str, Any]:
    payment = json.loads(_call(app, _create_environ())[1], parse_float=Decimal)["payment"]
    txid, value = payment["bank_payment_id"], f"{Decimal(str(payment['value'])):.2f}"
    if operation == "webhook":
        e2e = "E00000000" + "".join(random.choices(string.ascii_letters + string.digits, k=23))
        raw = json.dumps({"pix": [{"endToEndId": e2e, "txid": txid, "valor": value,
                                   "horario": "2026-01-01T00:00:00Z"}]}).encode()
        return _environ("/webhooks/pix", raw, **{HEADER: _sign(raw)})
    raw = f'{{"bank_payment_id": "{txid}", "value": {value}}}'.encode()
    return _environ("/payments/pix/confirmation", raw, **{HEADER: _sign(raw)})


class CallCounter:
    """Python function calls (and calls into C) made while it is on: unlike CPU time, the
    count does not move with the neighbours, so a small change shows through a noisy VM."""

    def __init__(self) -> None:
        self.calls = 0

    def __enter__(self) -> CallCounter:
        sys.setprofile(self._count)
        return self

    def __exit__(self, *_exc: object) -> None:
        sys.setprofile(None)

    def _count(self, _frame: Any, event: str, _arg: Any) -> None:
        if event in ("call", "c_call"):
            self.calls += 1


def measure(app: Callable[..., Any], settle: Callable[[], object], operation: str,
            count: int, *, calls: bool = False) -> dict[str, float]:
    """CPU ms per request (user, system, total) over `count` requests; with `calls`, the
    Python calls per request instead (the profile hook makes the CPU figures meaningless)."""
    if operation == "create":
        environs = [_create_environ() for _ in range(count)]
    else:
        environs = [_confirm_environ(app, operation) for _ in range(count)]
    settle()
    counter = CallCounter()
    before = resource.getrusage(resource.RUSAGE_SELF)
    with counter if calls else contextlib.nullcontext():
        for n, environ in enumerate(environs):
            status, body = _call(app, environ)
            if not status.startswith("200"):
                raise RuntimeError(f"{operation} answered {status}: {body[:200]!r}")
            if n % 10 == 9:
                settle()
        settle()
    after = resource.getrusage(resource.RUSAGE_SELF)
    if calls:
        return {"calls": round(counter.calls / count)}
    user = (after.ru_utime - before.ru_utime) * 1000 / count
    system = (after.ru_stime - before.ru_stime) * 1000 / count
    return {"user_ms": round(user, 3), "sys_ms": round(system, 3),
            "cpu_ms": round(user + system, 3)}


def main(argv: list[str] | None = None) -> None:
    """Parse the flags, warm up, measure, print one JSON line."""
    parser = argparse.ArgumentParser(prog="bench.inprocess")
    parser.add_argument("app", choices=["pixgate", "reference"])
    parser.add_argument("operation", choices=["create", "confirm", "webhook"])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--relay", action="store_true", help="pixgate: publish by relay drain")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure this many times in one process; print the median and min")
    parser.add_argument("--calls", action="store_true",
                        help="count Python calls per request instead of timing CPU")
    parser.add_argument("--no-gevent", action="store_true",
                        help="pixgate: plain threads instead of gevent's patched sockets")
    args = parser.parse_args(argv)
    if args.app == "pixgate" and not args.no_gevent:
        from gevent import monkey

        monkey.patch_all()  # before the database driver and the app are imported, as served
    from sqlalchemy import create_engine, text

    server = os.environ.get("PIXGATE_BENCH_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/")
    name = f"{args.app}_cpu_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE `{name}`"))
    try:
        database = server.rstrip("/") + "/" + name
        mode = "threading" if args.no_gevent else "gevent"
        app, settle = (_reference(database) if args.app == "reference"
                       else _pixgate(database, args.relay, mode))
        measure(app, settle, args.operation, 300)  # warm-up: caches, pool, statement cache
        results = [measure(app, settle, args.operation, args.count, calls=args.calls)
                   for _ in range(args.repeat)]
        key = "calls" if args.calls else "cpu_ms"
        results.sort(key=lambda r: r[key])
        result = results[len(results) // 2]
        extra = ({f"min_{key}": results[0][key], "repeat": args.repeat}
                 if args.repeat > 1 else {})
        print(json.dumps({"app": args.app, "operation": args.operation, **result, **extra}))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        admin.dispose()


if __name__ == "__main__":
    main()
