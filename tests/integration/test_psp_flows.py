"""Money flows against the in-process sandbox PSP: webhooks read back, reconciliation, refunds."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from pixgate.app import create_app
from pixgate.charges import lifecycle
from pixgate.charges.models import Charge, ReceivedPix
from pixgate.db.types import utcnow
from pixgate.extensions import db
from pixgate.psp import reconcile
from pixgate.psp.base import PspNotFound
from pixgate.psp.sandbox import SandboxPsp
from pixgate.psp.settings import PspSettings
from pixgate.refunds.models import DONE, FAILED, Refund
from tests.factories import make_config
from tests.integration.helpers import confirm, count, create_payment
from tests.integration.test_cli import run as _run

TOKEN = secrets.token_urlsafe(24)


def _app(backend_url: str, tmp_path: Path, **overrides: object) -> Iterator[Flask]:
    other = create_app(make_config(tmp_path, DATABASE_URL=backend_url, **overrides))
    with other.app_context():
        yield other
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def psp_app(app: Flask, backend_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The migrated, emptied database, with the sandbox PSP and a webhook token."""
    settings = PspSettings(kind="sandbox", webhook_token=TOKEN, reconcile_seconds=5)
    yield from _app(backend_url, tmp_path / "psp", SANDBOX=True, PSP=settings)


@pytest.fixture
def no_psp_app(app: Flask, backend_url: str, tmp_path: Path) -> Iterator[Flask]:
    """A merchant without API access: static codes, no PSP."""
    yield from _app(backend_url, tmp_path / "nopsp")


def _paid(client: FlaskClient, value: str) -> ReceivedPix:
    payment = create_payment(client, value)
    assert confirm(client, payment).status_code == 200
    db.session.rollback()
    return db.session.scalars(select(ReceivedPix).where(
        ReceivedPix.txid == payment["bank_payment_id"])).one()


def test_psp_webhook_needs_the_token_and_credits_only_what_the_psp_knows(
    psp_app: Flask,
) -> None:
    client = psp_app.test_client()
    pix = _paid(client, "10.00")
    forged = {"endToEndId": "E" + secrets.token_hex(16)[:31], "txid": pix.txid,
              "valor": "10.00", "horario": utcnow().isoformat()}
    assert client.post("/webhooks/psp/wrong-token/pix", json={"pix": [forged]}).status_code == 404
    answer = client.post(f"/webhooks/psp/{TOKEN}/pix", json={"pix": [forged]})
    assert answer.status_code == 200 and answer.get_json()["notAtPsp"] == 1
    replay = client.post(f"/webhooks/psp/{TOKEN}/pix",
                         json=[{"endToEndId": pix.end_to_end_id, "valor": "999.00"}])
    assert replay.status_code == 200 and replay.get_json()["known"] == 1  # a bare array, too
    assert count(ReceivedPix) == 1
    bad = client.post(f"/webhooks/psp/{TOKEN}/pix", data=b"{nope",
                      headers={"Content-Type": "application/json"})
    assert bad.status_code == 400 and bad.get_json()["detail"]


def test_psp_webhook_is_off_without_a_token(app: Flask, client: FlaskClient) -> None:
    assert client.post(f"/webhooks/psp/{TOKEN}/pix", json={"pix": []}).status_code == 404


def test_one_poller_pass_per_interval_whichever_process_asks(psp_app: Flask) -> None:
    client = psp_app.test_client()
    _paid(client, "3.00")
    psp = SandboxPsp()
    first = reconcile.poll(db.session, psp, interval=5, auto_refund=False)
    assert first is not None and first.seen == 1 and first.known == 1
    assert reconcile.poll(db.session, psp, interval=5, auto_refund=False) is None
    cursor = db.session.get(reconcile.PspCursor, reconcile.PIX_CURSOR)
    assert cursor is not None and cursor.watermark is not None


def test_reconcile_command_prints_what_it_found(psp_app: Flask) -> None:
    client = psp_app.test_client()
    pix = _paid(client, "6.00")
    since = (utcnow() - timedelta(hours=1)).isoformat()
    result = _run(psp_app, "reconcile", "--since", since)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["seen"] == 1 and report["pix"][0]["endToEndId"] == pix.end_to_end_id
    assert _run(psp_app, "reconcile", "--since", "yesterday").exit_code != 0


def test_refunds_follow_the_sandbox_psp(psp_app: Flask) -> None:
    client = psp_app.test_client()
    pix = _paid(client, "20.00")
    done = _run(psp_app, "refund", pix.end_to_end_id, "r1", "5.00")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["devolucoes"][0]["status"] == DONE
    failed = _run(psp_app, "refund", pix.end_to_end_id, "r2", "1.13")
    assert json.loads(failed.stdout)["devolucoes"][0]["status"] == FAILED
    db.session.rollback()
    assert db.session.get(ReceivedPix, pix.id).refunded_cents == 500  # type: ignore[union-attr]


def test_without_a_psp_a_refund_is_refused_and_nothing_recorded(
    client: FlaskClient, no_psp_app: Flask,
) -> None:
    pix = _paid(client, "9.00")
    result = _run(no_psp_app, "refund", pix.end_to_end_id, "r1", "1.00")
    assert result.exit_code != 0 and "PIXGATE_PSP" in result.output
    assert count(Refund) == 0


def test_a_charge_held_at_the_psp_expires_only_once_checked(
    app: Flask, client: FlaskClient,
) -> None:
    payment = create_payment(client, "2.00")
    db.session.execute(update(Charge).where(Charge.id == payment["id"])
                       .values(psp="bcb", expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert lifecycle.expire_due(db.session) == 0
    assert lifecycle.expire_due(db.session, psp_checked=[payment["id"]]) == 1


def test_the_sandbox_refusal_rules_live_in_the_sandbox_psp(psp_app: Flask) -> None:
    psp = SandboxPsp()
    assert psp.payment_refusal({"nome": "recusado"})
    assert psp.payment_refusal({"nome": "Ana"}) is None
    pix = _paid(psp_app.test_client(), "4.00")
    assert psp.put_refund(pix.end_to_end_id, "x", Decimal("0.13")).status == FAILED
    assert psp.put_refund(pix.end_to_end_id, "x", Decimal("0.14")).status == DONE


def test_the_sandbox_psp_holds_cobs_and_webhooks_in_pixgates_own_tables(psp_app: Flask) -> None:
    psp, txid = SandboxPsp(), secrets.token_hex(15)
    body = {"calendario": {"expiracao": 600}, "valor": {"original": "3.50"},
            "chave": "pagamentos@pixgate.example"}
    created = psp.put_cob(txid, body)
    assert (created.txid, created.status, created.amount) == (txid, "ATIVA", Decimal("3.50"))
    assert created.pix_copia_e_cola and created.location in created.pix_copia_e_cola
    assert psp.patch_cob(txid, {"valor": {"original": "4.00"}}).amount == Decimal("4.00")
    assert psp.get_cob(txid).revision == 1
    with pytest.raises(PspNotFound):
        psp.get_cob(secrets.token_hex(15))
    url = "https://merchant.example/webhooks/psp/" + TOKEN
    assert psp.get_webhook("pagamentos@pixgate.example") is None
    psp.put_webhook("pagamentos@pixgate.example", url)
    assert psp.get_webhook("pagamentos@pixgate.example") == {
        "chave": "pagamentos@pixgate.example", "webhookUrl": url}


def test_the_sandbox_psp_holds_cobvs_in_pixgates_own_tables(psp_app: Flask) -> None:
    from pixgate.cobv.calendar import brasilia_today

    psp, txid = SandboxPsp(), secrets.token_hex(15)
    body = {"calendario": {"dataDeVencimento": (brasilia_today() + timedelta(days=5)).isoformat()},
            "devedor": {"cpf": "12345678909", "nome": "Francisco da Silva"},
            "valor": {"original": "30.00", "multa": {"modalidade": 1, "valorPerc": "2.00"}},
            "chave": "pagamentos@pixgate.example"}
    created = psp.put_cobv(txid, body)
    assert (created.txid, created.status, created.amount) == (txid, "ATIVA", Decimal("30.00"))
    assert created.pix_copia_e_cola and created.location in created.pix_copia_e_cola
    assert psp.patch_cobv(txid, {"valor": {"original": "31.00"}}).revision == 1
    assert psp.put_cobv(txid, body).amount == Decimal("30.00")  # PUT again: a revision
    assert psp.get_cobv(txid).revision == 2
    with pytest.raises(PspNotFound):
        psp.get_cobv(psp.put_cob(secrets.token_hex(15), {
            "calendario": {"expiracao": 600}, "valor": {"original": "1.00"},
            "chave": "pagamentos@pixgate.example"}).txid)  # a cob is not a cobv
    removed = psp.patch_cobv(txid, {"status": "REMOVIDA_PELO_USUARIO_RECEBEDOR"})
    assert removed.status == "REMOVIDA_PELO_USUARIO_RECEBEDOR"
