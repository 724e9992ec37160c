"""The `pixgate` command: serve, db (Flask-Migrate), brcode; each a thin call into the services."""

from __future__ import annotations

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


def _register_subcommands() -> None:
    from pixgate.commands.brcode import brcode
    from pixgate.commands.client import client
    from pixgate.commands.pay import pay
    from pixgate.commands.psp import psp
    from pixgate.commands.reconcile import reconcile
    from pixgate.commands.refund import refund
    from pixgate.commands.serve import serve
    from pixgate.commands.webhooks import webhooks

    for command in (serve, brcode, client, pay, reconcile, refund, webhooks, psp):
        main.add_command(command)


_register_subcommands()
