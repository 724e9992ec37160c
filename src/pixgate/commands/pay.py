"""`pixgate pay CODE`: the sandbox payer from the shell (same path as POST /sandbox/pay)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import with_appcontext

from pixgate.charges.errors import ChargeError, InvalidInput
from pixgate.charges.money import parse_valor
from pixgate.charges.snapshot import pix_state
from pixgate.extensions import db
from pixgate.psp import inbound
from pixgate.sandbox import service


@click.command("pay")
@click.argument("code")
@click.option("--valor", default=None, help="Amount, for codes that carry none.")
@click.option("--payer-name", default="Pagador Sandbox", show_default=True)
@with_appcontext
def pay(code: str, valor: str | None, payer_name: str) -> None:
    """Read CODE as a bank app would and pay it; prints the Pix (with its endToEndId)."""
    try:
        amount = parse_valor(valor) if valor is not None else None
    except InvalidInput as exc:
        raise click.BadParameter(exc.reason, param_hint="--valor") from None
    scheme = urlsplit(current_app.config["PUBLIC_URL"]).scheme or "https"
    try:
        reading = service.read_code(code, fetch=current_app.extensions["pixgate.fetch"],
                                    scheme=scheme)
        receipt = service.pay(db.session, reading=reading, amount=amount,
                              payer={"nome": payer_name})
        inbound.after_arrival(db.session, receipt)
    except ChargeError as exc:
        raise click.ClickException(exc.detail) from None
    click.echo(json.dumps(pix_state(receipt.pix), indent=2))
    if receipt.error is not None:  # the Pix was sent and is on record, but paid no charge
        raise click.ClickException(receipt.error.detail)
    if not receipt.applied:
        click.echo("(already paid with this Pix: nothing changed)", err=True)
