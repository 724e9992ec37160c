"""`pixgate refund E2EID ID VALOR`: a devolução from the shell, through the refund service."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from pixgate.charges.errors import ChargeError, InvalidInput
from pixgate.charges.money import parse_valor
from pixgate.charges.snapshot import pix_state
from pixgate.extensions import db
from pixgate.psp import registry
from pixgate.refunds import service


@click.command("refund")
@click.argument("end_to_end_id")
@click.argument("refund_id")
@click.argument("valor")
@with_appcontext
def refund(end_to_end_id: str, refund_id: str, valor: str) -> None:
    """Refund part or all of a received Pix (idempotent by REFUND_ID)."""
    try:
        amount = parse_valor(valor)
    except InvalidInput as exc:
        raise click.BadParameter(exc.reason, param_hint="VALOR") from None
    try:
        result = service.refund(db.session, psp=registry.get_psp(),
                                end_to_end_id=end_to_end_id, refund_id=refund_id, amount=amount,
                                source="cli")
        pix = service.get_pix(db.session, end_to_end_id=end_to_end_id)
    except ChargeError as exc:
        raise click.ClickException(exc.detail) from None
    click.echo(json.dumps(pix_state(pix, [result.refund]), indent=2))
