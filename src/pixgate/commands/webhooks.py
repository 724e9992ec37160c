"""`pixgate webhooks dead|replay`: see and requeue dead-lettered webhook deliveries."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from pixgate.extensions import db
from pixgate.webhooks import delivery
from pixgate.webhooks.models import DEAD, WebhookDelivery


@click.group("webhooks")
def webhooks() -> None:
    """Outgoing webhook deliveries."""


@webhooks.command("dead")
@with_appcontext
def dead() -> None:
    """List deliveries that gave up after about three days of retries."""
    rows = db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.status == DEAD)
                              .order_by(WebhookDelivery.id)).all()
    for row in rows:
        click.echo(f"{row.id}\t{row.topic}\t{row.event_id}\t{row.url}\t"
                   f"attempts={row.attempts}\tlast={row.last_status_code or row.last_error}")
    click.echo(f"{len(rows)} dead deliveries", err=True)


@webhooks.command("replay")
@click.argument("delivery_ids", nargs=-1, type=int)
@click.option("--all-dead", is_flag=True, help="Requeue every dead delivery.")
@with_appcontext
def replay(delivery_ids: tuple[int, ...], all_dead: bool) -> None:
    """Requeue deliveries (due now, with a fresh three-day window)."""
    if not delivery_ids and not all_dead:
        raise click.UsageError("name delivery ids or pass --all-dead")
    count = delivery.replay(db.session, delivery_ids=None if all_dead else list(delivery_ids))
    click.echo(f"{count} deliveries requeued")
