"""The CLI commands are thin: they reach the same services as the HTTP edges."""

from __future__ import annotations

import json

from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from flask.testing import FlaskClient
from sqlalchemy import select, update

from pixgate.cli import main
from pixgate.extensions import db
from pixgate.oauth.models import OAuthClient
from pixgate.webhooks.models import DEAD, PENDING, WebhookDelivery
from tests.integration.helpers import confirm, create_payment


def run(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))


def test_client_create_prints_a_secret_once_and_stores_its_hash(app: Flask) -> None:
    result = run(app, "client", "create", "loja", "--scopes", "cob.read pix.read")
    assert result.exit_code == 0, result.output
    fields = dict(line.split(":", 1) for line in result.stdout.splitlines())
    secret = fields["client_secret"].strip()
    stored = db.session.scalar(select(OAuthClient))
    assert stored.scopes == "cob.read pix.read" and secret not in stored.secret_hash
    assert run(app, "client", "create", "x", "--scopes", "root").exit_code != 0


def test_pay_then_refund_from_the_shell(app: Flask, client: FlaskClient,
                                        internal_fetch: object) -> None:
    payment = create_payment(client, "25.00")
    paid = run(app, "pay", payment["brcode"])
    assert paid.exit_code == 0, paid.output
    e2e = json.loads(paid.stdout)["endToEndId"]
    again = run(app, "pay", payment["brcode"])
    assert again.exit_code != 0
    refund = run(app, "refund", e2e, "r1", "5.00")
    assert refund.exit_code == 0, refund.output
    assert json.loads(refund.stdout)["devolucoes"][0]["status"] == "DEVOLVIDO"
    assert run(app, "refund", e2e, "r2", "21.00").exit_code != 0


def test_dead_letters_are_listed_and_replayed(app: Flask, client: FlaskClient) -> None:
    confirm(client, create_payment(client))
    from pixgate.outbox.relay import Relay
    from pixgate.webhooks import fanout

    Relay(app, [lambda s, m: fanout.fan_out(s, m, notify_url="http://127.0.0.1:9/x") and None]) \
        .run_once()
    db.session.execute(update(WebhookDelivery).values(status=DEAD))
    db.session.commit()
    listed = run(app, "webhooks", "dead")
    assert listed.exit_code == 0 and "payment.confirmed" in listed.stdout
    assert run(app, "webhooks", "replay").exit_code != 0
    replayed = run(app, "webhooks", "replay", "--all-dead")
    assert replayed.exit_code == 0 and "1 deliveries requeued" in replayed.stdout
    db.session.rollback()
    assert db.session.scalar(select(WebhookDelivery)).status == PENDING
