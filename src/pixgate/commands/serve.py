"""`pixgate serve`: gunicorn with gevent workers, the production server (never Werkzeug's)."""

from __future__ import annotations

import os
import sys

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--worker-connections", default=20000, show_default=True, type=int,
              help="Concurrent connections per gevent worker (open payment pages).")
def serve(host: str, port: int, workers: int, worker_connections: int) -> None:
    """Serve with gunicorn + gevent (never the Werkzeug debug server)."""
    from pixgate.cli import _make_app

    _make_app()  # fail fast, with a message naming the variable, before gunicorn forks
    argv = [
        sys.executable, "-m", "gunicorn",
        "--worker-class", "gevent",
        "--workers", str(workers),
        "--worker-connections", str(worker_connections),
        "--bind", f"{host}:{port}",
        "--graceful-timeout", "5",
        "--timeout", "60",
        "--log-level", "info",
        "pixgate.serving:create_server_app()",
    ]
    if workers > 1:
        click.echo("note: Socket.IO polling needs sticky sessions; prefer one worker per port "
                   "behind nginx ip_hash (see deploy/nginx.conf)", err=True)
    click.echo(f"pixgate serving on http://{host}:{port}", err=True)
    sys.stdout.flush()
    os.execv(sys.executable, argv)  # noqa: S606 - replace this process by gunicorn


