"""A charge's amount and its code agree: static codes are frozen, cobs re-sign, keys are ours."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, update

from pixgate import brcode
from pixgate.app import create_app
from pixgate.charges import payment
from pixgate.charges.errors import InvalidInput
from pixgate.charges.models import PAID, Charge, ReceivedPix
from pixgate.extensions import db
from pixgate.jws.sign import verify_payload
from tests.factories import make_config
from tests.integration.helpers import count, create_payment
from tests.integration.test_v2_cob import BODY, txid

OTHER_KEY = "+5511987654321"


def _cob(client: FlaskClient, bearer: dict, **overrides: Any) -> dict:
    response = client.put(f"/v2/cob/{txid()}", json={**BODY, **overrides}, headers=bearer)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _violations(response: Any) -> list[str]:
    return [v["propriedade"] for v in response.get_json().get("violacoes", [])]


@pytest.mark.parametrize("change", [
    {"valor": {"original": "0.01"}}, {"chave": OTHER_KEY}, {"loc": {"id": 1}},
])
def test_a_static_code_charge_keeps_its_amount_key_and_code(
    client: FlaskClient, bearer: dict, change: dict
) -> None:
    payment = create_payment(client, "100.00")
    if "loc" in change:
        change = {"loc": {"id": client.post("/v2/loc", json={"tipoCob": "cob"},
                                            headers=bearer).get_json()["id"]}}
    response = client.patch(f"/v2/cob/{payment['bank_payment_id']}", json=change, headers=bearer)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["type"].endswith("/CobOperacaoInvalida")
    wanted = {"valor": "valor.original", "chave": "chave", "loc": "loc.id"}[next(iter(change))]
    assert _violations(response) == [wanted]
    db.session.rollback()
    charge = db.session.query(Charge).filter_by(txid=payment["bank_payment_id"]).one()
    assert str(charge.amount) == "100.00" and charge.revision == 0
    assert charge.brcode == payment["brcode"]
    assert brcode.decode(charge.brcode).amount == charge.amount
    # the sandbox cannot settle it for less either
    paid = client.post("/sandbox/pay", json={"txid": payment["bank_payment_id"], "valor": "0.01"})
    assert paid.status_code == 422 and count(ReceivedPix) == 0


def test_a_static_code_charge_may_still_change_what_is_not_in_its_code(
    client: FlaskClient, bearer: dict
) -> None:
    payment = create_payment(client, "100.00")
    response = client.patch(f"/v2/cob/{payment['bank_payment_id']}",
                            json={"solicitacaoPagador": "Pedido 7"}, headers=bearer)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["valor"]["original"] == "100.00"


def test_a_revised_cob_is_re_signed_with_its_new_amount_and_revision(
    app: Flask, client: FlaskClient, bearer: dict, internal_fetch: object
) -> None:
    cob = _cob(client, bearer)
    path = "/" + cob["location"].split("/", 1)[1]
    jwks = client.get("/.well-known/jwks.json").get_json()
    before = client.get(path).get_data(as_text=True)
    assert verify_payload(before, jwks)["valor"]["original"] == "123.45"
    patched = client.patch(f"/v2/cob/{cob['txid']}", json={"valor": {"original": "200.00"}},
                           headers=bearer)
    assert patched.status_code == 200 and patched.get_json()["revisao"] == 1
    after = client.get(path).get_data(as_text=True)
    payload = verify_payload(after, jwks)
    assert payload["revisao"] == 1 and payload["valor"]["original"] == "200.00"
    assert after.rsplit(".", 1)[1] != before.rsplit(".", 1)[1]  # a new signature
    # a payer reading the code now pays the new amount, and only that amount
    code = cob["pixCopiaECola"]
    assert client.post("/sandbox/pay", json={"pixCopiaECola": code, "valor": "123.45"}) \
        .status_code == 422
    assert client.post("/sandbox/pay", json={"pixCopiaECola": code}).status_code == 201


@pytest.fixture
def production_app(app: Flask, backend_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The same database, outside the sandbox, with two receiver keys (the first the default)."""
    keys = " Pagamentos@Pixgate.Example , (11) 98765-4321"
    other = create_app(make_config(tmp_path / "prod", DATABASE_URL=backend_url, PIX_KEY=keys))
    with other.app_context():
        yield other
        db.session.remove()


def test_the_receiver_may_have_several_keys_normalised_at_start(production_app: Flask) -> None:
    receiver = production_app.extensions["pixgate.receiver"]
    assert receiver.keys == ("pagamentos@pixgate.example", OTHER_KEY)
    assert receiver.pix_key == "pagamentos@pixgate.example"


@pytest.mark.parametrize("raw", ["a@b.com,", "a@b.com,nope", "12345678900"])
def test_a_bad_key_in_the_list_refuses_to_start(tmp_path: Path, raw: str) -> None:
    from pixgate.config import ConfigError

    with pytest.raises(ConfigError) as info:
        make_config(tmp_path, PIX_KEY=raw).check()
    assert info.value.variable == "PIXGATE_PIX_KEY"


def test_outside_the_sandbox_a_cob_must_name_one_of_our_keys(
    production_app: Flask, bearer: dict
) -> None:
    client = production_app.test_client()
    stranger = "fulano@outro.example"
    refused = client.put(f"/v2/cob/{txid()}", json={**BODY, "chave": stranger}, headers=bearer)
    assert refused.status_code == 400, refused.get_json()
    assert refused.get_json()["type"].endswith("/CobOperacaoInvalida")
    assert _violations(refused) == ["chave"]
    assert count(Charge) == 0
    for key in ("pagamentos@pixgate.example", OTHER_KEY):
        cob = _cob(client, bearer, chave=key)
        assert cob["chave"] == key
    moved = client.patch(f"/v2/cob/{cob['txid']}", json={"chave": stranger}, headers=bearer)
    assert moved.status_code == 400 and _violations(moved) == ["chave"]
    assert client.get(f"/v2/cob/{cob['txid']}", headers=bearer).get_json()["chave"] == OTHER_KEY


def test_the_sandbox_lets_a_cob_name_any_valid_key(client: FlaskClient, bearer: dict) -> None:
    assert _cob(client, bearer, chave="fulano@outro.example")["chave"] == "fulano@outro.example"


@contextmanager
def _revision_between_check_and_update(charge_id: int, **values: Any) -> Iterator[list[str]]:
    """Commit a revision from another connection just before the paying UPDATE runs."""
    fired: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if fired or not statement.lstrip().upper().startswith("UPDATE CHARGES SET STATUS"):
            return
        fired.append(statement)
        with db.engine.connect() as other:
            other.execute(update(Charge).where(Charge.id == charge_id).values(
                revision=Charge.revision + 1, **values))
            other.commit()

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield fired
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def test_a_revision_committed_between_check_and_update_makes_the_payment_lose(
    client: FlaskClient, bearer: dict
) -> None:
    cob = _cob(client, bearer, valor={"original": "200.00"})
    charge = db.session.query(Charge).filter_by(txid=cob["txid"]).one()
    e2e = "E" + secrets.token_hex(16)[:31]
    with _revision_between_check_and_update(charge.id, amount_cents=99900) as fired, \
            pytest.raises(InvalidInput) as info:  # judged again, against 999.00
        payment.confirm_payment(db.session, txid=cob["txid"], amount=charge.amount,
                                source="test", end_to_end_id=e2e)
    assert fired, "the paying UPDATE never ran"
    assert "999.00" in info.value.detail
    db.session.rollback()
    again = db.session.get(Charge, charge.id)
    assert again is not None and again.status != PAID and again.amount_cents == 99900
    assert count(ReceivedPix) == 0


def test_a_revision_of_something_else_in_between_still_lets_the_payment_through(
    client: FlaskClient, bearer: dict
) -> None:
    cob = _cob(client, bearer, valor={"original": "200.00"})
    charge = db.session.query(Charge).filter_by(txid=cob["txid"]).one()
    with _revision_between_check_and_update(charge.id, payer_request="Pedido 43") as fired:
        result = payment.confirm_payment(db.session, txid=cob["txid"], amount=charge.amount,
                                         source="test", end_to_end_id="E" + secrets.token_hex(
                                             16)[:31])
    assert fired and result.applied
    db.session.rollback()
    again = db.session.get(Charge, charge.id)
    assert again is not None and again.status == PAID and again.payer_request == "Pedido 43"
    assert again.revision == 2 and count(ReceivedPix) == 1
