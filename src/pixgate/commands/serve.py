"""`pixgate serve`: gunicorn + gevent, the production server (never Werkzeug's).

`--workers N` starts N independent single-worker gunicorn processes on PORT..PORT+N-1. A
Socket.IO session (long-polling before the WebSocket upgrade) lives in one process, and one
gunicorn with several workers would spread a session's requests over them; separate ports let
nginx pin each client to one process (`ip_hash`, deploy/nginx.conf) and Redis carries events
between processes. With N > 1 this command stays as a small supervisor: it forwards signals and,
if one process dies, stops the rest and exits non-zero so systemd (or Docker) restarts the set.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace

import click

from pixgate.ops.gunicorn import Settings, argv, ports, raise_fd_limit

FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT)
log = logging.getLogger(__name__)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535),
              help="Port of the first process; process i listens on PORT+i.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Independent server processes on consecutive ports (N > 1 needs "
                   "PIXGATE_REDIS_URL and a sticky proxy, see deploy/nginx.conf).")
@click.option("--worker-connections", default=Settings.worker_connections, show_default=True,
              type=click.IntRange(100, 1_000_000),
              help="Connections (open payment pages included) one process accepts at once.")
def serve(host: str, port: int, workers: int, worker_connections: int) -> None:
    """Serve with gunicorn + gevent, one worker per process, N processes on consecutive ports."""
    from pixgate.cli import _make_app

    default_public_url(host, port)  # before the app is built: every process reads it
    _make_app()  # fail fast, with a message naming the variable, before anything starts
    if workers > 1 and not os.environ.get("PIXGATE_REDIS_URL"):
        raise click.ClickException(
            "--workers > 1 needs PIXGATE_REDIS_URL: without the Redis message queue a payment "
            "confirmed in one process never reaches pages connected to another")
    if port + workers - 1 > 65535:
        raise click.ClickException(f"ports {port}..{port + workers - 1} do not fit below 65536")
    settings = Settings(host=host, port=port, worker_connections=worker_connections)
    soft, _hard = raise_fd_limit(settings.fds_needed())
    if soft < settings.fds_needed():
        click.echo(f"warning: open-file limit {soft} is below the {settings.fds_needed()} that "
                   f"{worker_connections} connections need; raise LimitNOFILE / ulimit -n",
                   err=True)
    commands = [argv(replace(settings, port=p)) for p in ports(port, workers)]
    for p in ports(port, workers):
        click.echo(f"pixgate serving on http://{host}:{p}", err=True)
    sys.stderr.flush()
    if workers == 1:
        os.execv(sys.executable, commands[0])  # noqa: S606 - this process becomes gunicorn
    sys.exit(supervise(commands))


def public_url_for(host: str, port: int) -> tuple[str, bool]:
    """The URL a bind address is reached at, and whether it is only a guess (a wildcard bind)."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:  # a host name: reachable as written
        return f"http://{host}:{port}", False
    if address.is_unspecified:  # 0.0.0.0 / :: name no address a bank can reach; loopback works
        address = ipaddress.ip_address("::1" if address.version == 6 else "127.0.0.1")
        guessed = True
    else:
        guessed = False
    shown = f"[{address}]" if address.version == 6 else str(address)
    return f"http://{shown}:{port}", guessed


def default_public_url(host: str, port: int) -> None:
    """Without PIXGATE_PUBLIC_URL, QR locations and the JWKS must still name a live address."""
    if os.environ.get("PIXGATE_PUBLIC_URL"):
        return
    url, guessed = public_url_for(host, port)
    os.environ["PIXGATE_PUBLIC_URL"] = url  # inherited by gunicorn and every process
    if guessed:
        from pixgate.ops import logs

        logs.configure(os.environ.get("PIXGATE_LOG_LEVEL") or "INFO")
        log.warning("binding %s: set PIXGATE_PUBLIC_URL to the address payers' banks and "
                    "browsers reach this server at; using %s until then", host, url)


def supervise(commands: list[list[str]], *, kill_after: float = 30.0) -> int:
    """Run every command; forward signals; when one exits, stop the others and return its code.

    Returns 0 only when a signal asked for the stop; a process ending on its own is a failure.
    """
    children = [subprocess.Popen(command) for command in commands]  # noqa: S603 - our argv
    stop: dict[str, float | bool] = {"at": 0.0, "signalled": False}
    first_exit: list[int] = []

    def tell_all(signum: int) -> None:
        stop["at"] = stop["at"] or time.monotonic()
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    def on_signal(signum: int, _frame: object) -> None:
        stop["signalled"] = True
        tell_all(signum)

    previous = {signum: signal.signal(signum, on_signal) for signum in FORWARDED}
    try:
        while any(child.poll() is None for child in children):
            ended = [child.returncode for child in children if child.returncode is not None]
            if ended and not stop["at"]:
                first_exit.append(ended[0])
                click.echo(f"pixgate: a server process exited ({ended[0]}); stopping the rest",
                           err=True)
                tell_all(signal.SIGTERM)
            if stop["at"] and time.monotonic() - float(stop["at"]) > kill_after:
                for child in children:
                    if child.poll() is None:
                        child.kill()
            time.sleep(0.2)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if stop["signalled"]:
        return 0
    return (first_exit or [child.returncode or 0 for child in children])[0] or 1
