"""Every edge that takes money refuses what is not exact to the centavo, and only with a 4xx."""

from __future__ import annotations

import json
import re
import secrets
from decimal import Decimal

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from pixgate.charges.models import Charge, ReceivedPix
from pixgate.cli import main
from pixgate.extensions import db
from pixgate.refunds.models import Refund
from tests.factories import signed_headers
from tests.integration.helpers import confirm, count, create_payment, signed_post
from tests.integration.test_v2_cob import BODY, txid

TOO_PRECISE = ["100.0000000000000000000000000001", "0.0099999999999999999999999999999",
               "100.00" + "0" * 300 + "1"]


@pytest.mark.parametrize("raw", TOO_PRECISE)
def test_the_seed_api_refuses_more_than_two_places_at_any_precision(
    client: FlaskClient, raw: str
) -> None:
    # written as a bare JSON number: the strict body parser reads it as an exact Decimal
    response = client.post("/payments/pix", data=f'{{"value": {raw}}}',
                           content_type="application/json")
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["field"] == "value"
    assert count(Charge) == 0


@pytest.mark.parametrize("raw", TOO_PRECISE)
def test_a_confirmation_must_be_exact_too(client: FlaskClient, raw: str) -> None:
    payment = create_payment(client, "100.00")
    body = f'{{"bank_payment_id": "{payment["bank_payment_id"]}", "value": {raw}}}'.encode()
    response = client.post("/payments/pix/confirmation", data=body, headers=signed_headers(body))
    assert response.status_code == 422, response.get_json()
    assert count(ReceivedPix) == 0


def test_bcb_edges_take_only_bcb_valor_strings(client: FlaskClient, bearer: dict) -> None:
    for valor in ("10.5", "10.000", "1e3", "+1.00", " 1.00", "1.00 ", 10.0, "12345678901.00"):
        response = client.put(f"/v2/cob/{txid()}", json={**BODY, "valor": {"original": valor}},
                              headers=bearer)
        assert response.status_code == 400, valor
        assert [v["propriedade"] for v in response.get_json()["violacoes"]] == ["valor.original"]
        hook = signed_post(client, "/webhooks/pix", {"pix": [{
            "endToEndId": secrets.token_hex(16), "txid": "abc", "valor": valor,
            "horario": "2026-01-01T00:00:00Z"}]})
        assert hook.status_code == 422 and hook.get_json()["field"] == "pix[0].valor", valor
        paid = client.post("/sandbox/pay", json={"txid": "abc", "valor": valor})
        assert paid.status_code == 422 and paid.get_json()["field"] == "valor", valor
    assert count(Charge) == 0


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.from_regex(r"-?\d{1,14}(\.\d{1,40})?([eE][-+]?\d{1,4})?", fullmatch=True),
    st.builds(lambda c, z: f"{Decimal(c).scaleb(-2)}{'0' * z}1", st.integers(1, 10**12),
              st.integers(0, 60)),
))
def test_fuzz_the_seed_amount_only_4xx_and_exact(client: FlaskClient, number: str) -> None:
    response = client.post("/payments/pix", data=f'{{"value": {number}}}',
                           content_type="application/json")
    assert response.status_code in (200, 400, 422), (number, response.status_code)
    if response.status_code == 200:
        echoed = json.loads(response.data, parse_float=Decimal)["payment"]["value"]
        assert echoed == Decimal(number) and echoed.as_tuple().exponent == -2


def test_the_dashboard_form_reads_typed_amounts_exactly(
    app: Flask, client: FlaskClient
) -> None:
    from tests.integration.test_web_dashboard import TOKEN

    password = app.config["DASHBOARD_PASSWORD"] = secrets.token_urlsafe()
    token = TOKEN.search(client.get("/dashboard/login").get_data(as_text=True)).group(1)
    client.post("/dashboard/login", data={"csrf_token": token, "password": password})
    csrf = TOKEN.search(client.get("/dashboard").get_data(as_text=True)).group(1)
    payment = create_payment(client, "2000.00")
    confirm(client, payment)
    page = client.get(f"/dashboard/charges/{payment['id']}").get_data(as_text=True)
    form = dict(re.findall(r'name="(end_to_end_id|refund_id)" value="([^"]+)"', page))
    url = f"/dashboard/charges/{payment['id']}/refund"
    for typed in ("1.234", "10,001", "1e3", "0,00"):  # '1.234' used to read as 1.234
        client.post(url, data={"csrf_token": csrf, **form, "valor": typed})
    assert count(Refund) == 0
    client.post(url, data={"csrf_token": csrf, **form, "valor": "R$ 1.234,50"})
    assert [str(r.amount) for r in db.session.scalars(select(Refund))] == ["1234.50"]


def test_the_cli_reads_valor_in_bcb_form(app: Flask, client: FlaskClient,
                                         internal_fetch: object) -> None:
    def run(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))

    payment = create_payment(client, "25.00")
    e2e = json.loads(run("pay", payment["brcode"]).stdout)["endToEndId"]
    for bad in ("5", "5.5", "5.001", "1e1", TOO_PRECISE[0]):
        result = run("refund", e2e, "r" + secrets.token_hex(4), bad)
        assert result.exit_code == 2 and "VALOR" in result.output, (bad, result.output)
    assert count(Refund) == 0
    assert run("refund", e2e, "r1", "5.00").exit_code == 0
