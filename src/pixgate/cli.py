"""The `pixgate` command: serve, db (Flask-Migrate), brcode; each a thin call into the services."""

from __future__ import annotations

import os
import sys

import click
from flask.cli import FlaskGroup

from pixgate.config import ConfigError


def _make_app():  # type: ignore[no-untyped-def]
    from pixgate.app import create_app

    try:
        return create_app()
    except ConfigError as exc:
        raise click.ClickException(f"configuration error: {exc}") from None


@click.group(cls=FlaskGroup, create_app=_make_app, add_default_commands=False,
             add_version_option=False, load_dotenv=False, set_debug_flag=False)
def main() -> None:
    """pixgate: a self-hostable Pix payment server."""


@main.command("serve", context_settings={"ignore_unknown_options": False})
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--worker-connections", default=20000, show_default=True, type=int,
              help="Concurrent connections per gevent worker (open payment pages).")
def serve(host: str, port: int, workers: int, worker_connections: int) -> None:
    """Serve with gunicorn + gevent (never the Werkzeug debug server)."""
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


def _register_subcommands() -> None:
    from pixgate.brcode_cli import brcode

    main.add_command(brcode)


_register_subcommands()
