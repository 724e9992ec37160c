"""`pixgate client create NAME` (the secret is shown once) and `pixgate client revoke ID`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from pixgate.charges.errors import ChargeError
from pixgate.extensions import db
from pixgate.oauth import SCOPES
from pixgate.oauth import service as oauth


@click.group("client")
def client() -> None:
    """Manage OAuth2 clients of the /v2 API."""


@client.command("create")
@click.argument("name")
@click.option("--scopes", default=" ".join(SCOPES), show_default=True,
              help="Space-separated scopes the client may ask for.")
@with_appcontext
def create(name: str, scopes: str) -> None:
    """Print the new client's id and secret (only its hash is stored)."""
    try:
        granted = oauth.parse_scopes(scopes)
        client_id, secret = oauth.create_client(db.session, name=name, scopes=granted)
    except ChargeError as exc:
        raise click.ClickException(exc.detail) from None
    click.echo(f"client_id:     {client_id}")
    click.echo(f"client_secret: {secret}")
    click.echo(f"scopes:        {' '.join(granted)}")
    click.echo("Store the secret now: pixgate keeps only its hash.", err=True)


@client.command("revoke")
@click.argument("client_id")
@with_appcontext
def revoke(client_id: str) -> None:
    """Stop a client: no new tokens, and the tokens it holds stop working at once."""
    try:
        oauth.revoke_client(db.session, client_id=client_id)
    except ChargeError as exc:
        raise click.ClickException(exc.detail) from None
    click.echo(f"revoked: {client_id}")
