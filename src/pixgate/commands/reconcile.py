"""`pixgate reconcile --since ISO8601`: ask the PSP what arrived and store what is missing."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click
from flask.cli import with_appcontext

from pixgate.charges.errors import ChargeError
from pixgate.db.types import utcnow
from pixgate.extensions import db
from pixgate.psp import reconcile as service
from pixgate.psp import registry


@click.command("reconcile")
@click.option("--since", required=True, help="ISO 8601 start, e.g. 2026-12-01T00:00:00Z")
@click.option("--until", default=None, help="ISO 8601 end (default: now)")
@with_appcontext
def reconcile(since: str, until: str | None) -> None:
    """Read GET /pix from the PSP for the window; credit what a lost webhook missed."""
    start, end = _when(since, "--since"), _when(until, "--until") if until else utcnow()
    if start >= end:
        raise click.BadParameter("must be before --until (or now)", param_hint="--since")
    psp = registry.get_psp()
    if psp is None:
        raise click.ClickException("no PSP is configured (PIXGATE_PSP): nothing to reconcile")
    try:
        tally = service.reconcile(db.session, psp, start=start, end=end,
                                  auto_refund=registry.flows().auto_refund_unmatched)
    except ChargeError as exc:
        raise click.ClickException(f"the PSP could not be read: {exc.detail}") from None
    click.echo(json.dumps({"inicio": start.isoformat(), "fim": end.isoformat(),
                           **tally.as_dict(), "pix": tally.details}, indent=2))


def _when(raw: str, name: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{raw!r} is not an ISO 8601 date-time",
                                 param_hint=name) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
