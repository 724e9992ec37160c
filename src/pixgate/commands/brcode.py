"""`pixgate brcode`: decode, validate and encode BR Codes from the shell."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pixgate import brcode as pix
from pixgate.charges.errors import InvalidInput
from pixgate.charges.money import parse_valor


@click.group("brcode")
def brcode() -> None:
    """Read and write Pix BR Codes (the QR's copy-paste text)."""


@brcode.command("decode")
@click.argument("code")
@click.option("--lenient", is_flag=True, help="Accept real-world deviations and list them.")
def decode(code: str, lenient: bool) -> None:
    """Print CODE's fields as JSON (exit 0) or every violation on stderr (exit 1)."""
    try:
        decoded = pix.decode(code, lenient=lenient)
    except pix.BRCodeError as exc:
        for violation in exc.violations or [None]:
            if violation is None:
                click.echo(f"{exc.field}: {exc.reason}", err=True)
            else:
                click.echo(f"{violation.field}: {violation.rule}: {violation.message}", err=True)
        sys.exit(1)
    click.echo(json.dumps(decoded.to_dict(), ensure_ascii=False, indent=2))


@brcode.command("encode")
@click.option("--key", required=True, help="Pix key: CPF, CNPJ, e-mail, +55 phone or EVP.")
@click.option("--name", required=True, help="Receiver name (25 ASCII characters at most).")
@click.option("--city", required=True, help="Receiver city (15 ASCII characters at most).")
@click.option("--amount", default=None, help="Exact amount, e.g. 10.50.")
@click.option("--txid", default="***", show_default=True)
@click.option("--info", default=None, help="infoAdicional shown to the payer.")
@click.option("--qr", "qr_file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the QR image (.svg or .png).")
def encode(key: str, name: str, city: str, amount: str | None, txid: str, info: str | None,
           qr_file: Path | None) -> None:
    """Print a static BR Code for the given receiver and amount."""
    try:
        value = parse_valor(amount) if amount is not None else None
    except InvalidInput as exc:
        raise click.BadParameter(exc.reason, param_hint="--amount") from None
    try:
        code = pix.encode_static(key=key, name=name, city=city, amount=value, txid=txid,
                                 info=info)
    except pix.BRCodeError as exc:
        raise click.ClickException(f"{exc.field}: {exc.reason}") from None
    if qr_file is not None:
        if qr_file.suffix.lower() == ".svg":
            qr_file.write_text(pix.qr_svg(code), encoding="utf-8")
        else:
            qr_file.write_bytes(pix.qr_png(code))
    click.echo(code)
