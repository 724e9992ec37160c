"""BCB /cobv over each database: create, revise, list, the payload per payment date, payment."""

from __future__ import annotations

import json
import secrets
import string
from datetime import date, timedelta
from typing import Any

import jwt
import pytest
from flask.testing import FlaskClient

from pixgate import brcode
from pixgate.charges.models import AMOUNT_DIFFERS, UNMATCHED, ReceivedPix
from pixgate.cobv.calendar import brasilia_today, next_business_day
from tests.bcb_schema import assert_matches
from tests.integration.helpers import count

ALNUM = string.ascii_letters + string.digits
KEY = "pagamentos@pixgate.example"


def txid() -> str:
    return "".join(secrets.choice(ALNUM) for _ in range(32))


def body(due: date, **valor: Any) -> dict[str, Any]:
    return {"calendario": {"dataDeVencimento": due.isoformat(), "validadeAposVencimento": 30},
            "devedor": {"cpf": "12345678909", "nome": "Fulana de Tal", "cidade": "Recife",
                        "uf": "PE"},
            "valor": {"original": "100.00", **valor}, "chave": KEY,
            "solicitacaoPagador": "Mensalidade"}


def business_day_ahead(days: int) -> date:
    return next_business_day(brasilia_today() + timedelta(days=days))


def payload(client: FlaskClient, cobv: dict, **query: str) -> tuple[int, Any]:
    path = "/" + cobv["location"].split("/", 1)[1]
    response = client.get(path, query_string=query)
    if response.status_code != 200:
        return response.status_code, response.get_json()
    token = response.get_data(as_text=True)
    return 200, jwt.decode(token, options={"verify_signature": False})


def test_put_creates_a_cobv_and_get_reads_it(client: FlaskClient, bearer: dict) -> None:
    t, due = txid(), business_day_ahead(10)
    response = client.put(f"/v2/cobv/{t}", headers=bearer, json=body(
        due, multa={"modalidade": 2, "valorPerc": "2.00"},
        juros={"modalidade": 1, "valorPerc": "0.10"}))
    assert response.status_code == 201, response.get_json()
    cobv = response.get_json()
    assert_matches(cobv, "CobVGerada")
    assert cobv["calendario"]["dataDeVencimento"] == due.isoformat()
    assert cobv["recebedor"]["cnpj"] == "11222333000181" and cobv["status"] == "ATIVA"
    assert cobv["valor"]["multa"] == {"modalidade": 2, "valorPerc": "2.00"}
    assert cobv["loc"]["tipoCob"] == "cobv" and "/qr/v2/cobv/" in cobv["location"]
    assert brcode.decode(cobv["pixCopiaECola"]).url == cobv["location"]
    got = client.get(f"/v2/cobv/{t}", headers=bearer)
    assert_matches(got.get_json(), "CobVCompleta")
    assert client.get(f"/v2/cob/{t}", headers=bearer).status_code == 404


BAD = [
    ({"valor": {"original": "0.00"}}, "cobv.valor.original"),
    ({"calendario": {"dataDeVencimento": "2001-01-01"}}, "cobv.calendario.dataDeVencimento"),
    ({"calendario": {"dataDeVencimento": "NEXT", "validadeAposVencimento": -1}},
     "cobv.calendario.validadeAposVencimento"),
    ({"devedor": {"cpf": "12345678900", "nome": "X"}}, "cobv.devedor.cpf"),
    ({"devedor": {"cnpj": "11222333000180", "nome": "X"}}, "cobv.devedor.cnpj"),
    ({"devedor": None}, "cobv.devedor"),
    ({"chave": "not a key"}, "cobv.chave"),
    ({"valor": {"original": "100.00", "multa": {"modalidade": 3, "valorPerc": "1.00"}}},
     "cobv.valor.multa.modalidade"),
    ({"valor": {"original": "100.00", "juros": {"modalidade": 9, "valorPerc": "1.00"}}},
     "cobv.valor.juros.modalidade"),
    ({"valor": {"original": "100.00", "abatimento": {"modalidade": 1, "valorPerc": "100.00"}}},
     "cobv.valor.abatimento"),
    ({"valor": {"original": "100.00", "abatimento": {"modalidade": 2, "valorPerc": "100.00"}}},
     "cobv.valor.abatimento"),
    ({"valor": {"original": "100.00", "desconto": {"modalidade": 1, "valorPerc": "1.00",
      "descontoDataFixa": [{"data": "NEXT", "valorPerc": "1.00"}]}}},
     "cobv.valor.desconto.valorPerc"),
    ({"valor": {"original": "100.00", "desconto": {"modalidade": 2}}},
     "cobv.valor.desconto.descontoDataFixa"),
    ({"valor": {"original": "100.00", "desconto": {"modalidade": 1, "descontoDataFixa": [
        {"data": "AFTER", "valorPerc": "1.00"}]}}}, "cobv.valor.desconto.descontoDataFixa[0].data"),
    ({"valor": {"original": "100.00", "desconto": {"modalidade": 1, "descontoDataFixa": [
        {"data": "NEXT", "valorPerc": "100.00"}]}}},
     "cobv.valor.desconto.descontoDataFixa[0].valorPerc"),
    ({"valor": {"original": "100.00", "desconto": {"modalidade": 3}}},
     "cobv.valor.desconto.valorPerc"),
    ({"valor": {"original": "100.00", "desconto": {"modalidade": 5, "valorPerc": "1.00",
      "descontoDataFixa": [{"data": "NEXT", "valorPerc": "1.00"}]}}},
     "cobv.valor.desconto.descontoDataFixa"),
    ({"valor": {"original": "100.00", "desconto": {"modalidade": 6, "valorPerc": "100.00"}}},
     "cobv.valor.desconto.valorPerc"),
    ({"calendario": {"expiracao": 3600, "dataDeVencimento": "NEXT"}},
     "cobv.calendario.expiracao"),
]


def _fill(value: Any, due: date) -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, due) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, due) for v in value]
    return {"NEXT": due.isoformat(), "AFTER": (due + timedelta(days=1)).isoformat()}.get(
        value, value) if isinstance(value, str) else value


@pytest.mark.parametrize(("change", "prop"), BAD, ids=[p for _, p in BAD])
def test_every_rule_answers_cobv_operacao_invalida(
    client: FlaskClient, bearer: dict, change: dict, prop: str
) -> None:
    due = business_day_ahead(10)
    sent = {**body(due), **_fill(change, due)}
    response = client.put(f"/v2/cobv/{txid()}", headers=bearer, json=sent)
    assert response.status_code == 400, response.get_json()
    problem = response.get_json()
    assert_matches(problem, "Problema")
    assert problem["type"].endswith("/CobVOperacaoInvalida")
    assert prop in [v["propriedade"] for v in problem["violacoes"]], problem


def test_patch_revises_keeps_history_and_removes(client: FlaskClient, bearer: dict) -> None:
    t, due = txid(), business_day_ahead(10)
    client.put(f"/v2/cobv/{t}", headers=bearer,
               json=body(due, multa={"modalidade": 1, "valorPerc": "5.00"}))
    patched = client.patch(f"/v2/cobv/{t}", headers=bearer, json={
        "valor": {"juros": {"modalidade": 2, "valorPerc": "0.50"}},
        "calendario": {"validadeAposVencimento": 5}})
    assert patched.status_code == 200, patched.get_json()
    revised = patched.get_json()
    assert_matches(revised, "CobVGerada")
    assert revised["revisao"] == 1 and revised["calendario"]["validadeAposVencimento"] == 5
    assert revised["valor"]["multa"]["valorPerc"] == "5.00"  # PATCH keeps what it did not send
    assert revised["valor"]["juros"]["valorPerc"] == "0.50"
    old = client.get(f"/v2/cobv/{t}?revisao=0", headers=bearer).get_json()
    assert "juros" not in old["valor"] and old["calendario"]["validadeAposVencimento"] == 30
    both = client.patch(f"/v2/cobv/{t}", headers=bearer, json={
        "status": "REMOVIDA_PELO_USUARIO_RECEBEDOR", "chave": KEY})
    assert both.status_code == 400
    removed = client.patch(f"/v2/cobv/{t}", headers=bearer,
                           json={"status": "REMOVIDA_PELO_USUARIO_RECEBEDOR"})
    assert removed.get_json()["status"] == "REMOVIDA_PELO_USUARIO_RECEBEDOR"
    again = client.patch(f"/v2/cobv/{t}", headers=bearer, json={"chave": KEY})
    assert again.status_code == 400 and again.get_json()["type"].endswith("CobVOperacaoInvalida")
    assert client.patch(f"/v2/cobv/{txid()}", headers=bearer, json={}).status_code == 404


def test_list_filters_and_pages_like_cob(client: FlaskClient, bearer: dict) -> None:
    due = business_day_ahead(10)
    made = [txid() for _ in range(3)]
    for t in made:
        client.put(f"/v2/cobv/{t}", headers=bearer, json=body(due))
    client.put(f"/v2/cob/{txid()}", headers=bearer, json={"valor": {"original": "1.00"},
                                                          "chave": KEY})
    window = {"inicio": "2000-01-01T00:00:00Z", "fim": "2999-01-01T00:00:00Z"}
    listed = client.get("/v2/cobv", headers=bearer, query_string={
        **window, "cpf": "12345678909", "paginacao.itensPorPagina": 2}).get_json()
    assert_matches(listed, "CobsVConsultadas")
    assert listed["parametros"]["paginacao"]["quantidadeTotalDeItens"] == 3
    assert [c["txid"] for c in listed["cobs"]] == made[:2]
    cobs = client.get("/v2/cob", headers=bearer, query_string=window).get_json()
    assert all(c["txid"] not in made for c in cobs["cobs"])
    bad = client.get("/v2/cobv", headers=bearer, query_string={**window, "fim": "1999-01-01"})
    assert bad.status_code == 400


def test_the_location_serves_the_amount_for_each_payment_date(
    client: FlaskClient, bearer: dict
) -> None:
    today = brasilia_today()
    cobv = client.put(f"/v2/cobv/{txid()}", headers=bearer, json=body(
        today, multa={"modalidade": 2, "valorPerc": "2.00"},
        juros={"modalidade": 1, "valorPerc": "0.10"})).get_json()
    status, now = payload(client, cobv, codMun="2611606")
    assert status == 200
    assert_matches(now, "CobVPayload")
    assert now["valor"]["final"] == "100.00" and now["calendario"]["dataDeVencimento"]
    late = next_business_day(today) + timedelta(days=10)
    status, later = payload(client, cobv, DPP=late.isoformat())
    assert status == 200
    assert_matches(later, "CobVPayload")
    # 2% of 100 is 2.00; 10 days after the (business-day) due date at 0.10 a day is 1.00.
    assert later["valor"] == {"original": "100.00", "multa": "2.00", "juros": "1.00",
                              "final": "103.00"}
    for query, reason in (({"DPP": (today - timedelta(days=1)).isoformat()}, "DPP"),
                          ({"DPP": "2026-02-30"}, "DPP"), ({"codMun": "9912345"}, "codMun"),
                          ({"DPP": (today + timedelta(days=400)).isoformat()}, "DPP")):
        status, problem = payload(client, cobv, **query)
        assert status == 400, query
        assert problem["type"].endswith("/CobPayloadOperacaoInvalida")
        assert problem["violacoes"][0]["propriedade"] == reason


def test_sandbox_pays_late_at_the_amount_due_that_day(
    client: FlaskClient, bearer: dict, internal_fetch: Any
) -> None:
    today = brasilia_today()
    t = txid()
    cobv = client.put(f"/v2/cobv/{t}", headers=bearer, json=body(
        today, multa={"modalidade": 1, "valorPerc": "3.00"})).get_json()
    late = (next_business_day(today) + timedelta(days=3)).isoformat()
    # A bank app pays what the code asks for that day: the sandbox will not send 100.00 late.
    refused = client.post("/sandbox/pay", json={"txid": t, "valor": "100.00", "data": late})
    assert refused.status_code == 422, refused.get_json()
    assert "103.00" in json.dumps(refused.get_json())
    assert client.get(f"/v2/cobv/{t}", headers=bearer).get_json()["status"] == "ATIVA"
    paid = client.post("/sandbox/pay", json={"pixCopiaECola": cobv["pixCopiaECola"],
                                             "data": late})
    assert paid.status_code == 201, paid.get_json()
    assert paid.get_json()["valor"] == "103.00"
    done = client.get(f"/v2/cobv/{t}", headers=bearer).get_json()
    assert_matches(done, "CobVCompleta")
    assert done["status"] == "CONCLUIDA" and done["pix"][0]["valor"] == "103.00"
    past = client.post("/sandbox/pay", json={"txid": t, "data": "2001-01-01"})
    assert past.status_code == 422


def test_a_cob_with_a_payer_chosen_amount_takes_any_positive_amount(
    client: FlaskClient, bearer: dict, internal_fetch: Any
) -> None:
    t = txid()
    cob = client.put(f"/v2/cob/{t}", headers=bearer, json={
        "valor": {"original": "0.00", "modalidadeAlteracao": 1}, "chave": KEY})
    assert cob.status_code == 201, cob.get_json()
    assert_matches(cob.get_json(), "CobGerada")
    assert cob.get_json()["valor"]["modalidadeAlteracao"] == 1
    assert brcode.decode(cob.get_json()["pixCopiaECola"]).amount is None  # no field 54
    paid = client.post("/sandbox/pay", json={"pixCopiaECola": cob.get_json()["pixCopiaECola"],
                                             "valor": "37.42"})
    assert paid.status_code == 201, paid.get_json()
    done = client.get(f"/v2/cob/{t}", headers=bearer).get_json()
    assert done["status"] == "CONCLUIDA" and done["pix"][0]["valor"] == "37.42"
    assert "R$ 37,42" in client.get(f"/pay/{t}?lang=pt").get_data(as_text=True)
    fixed = client.put(f"/v2/cob/{txid()}", headers=bearer, json={
        "valor": {"original": "0.00"}, "chave": KEY})
    assert fixed.status_code == 400


def test_the_payment_page_shows_due_date_and_todays_breakdown(
    client: FlaskClient, bearer: dict
) -> None:
    t, today = txid(), brasilia_today()
    client.put(f"/v2/cobv/{t}", headers=bearer, json=body(
        today + timedelta(days=3), abatimento={"modalidade": 1, "valorPerc": "10.00"},
        desconto={"modalidade": 1, "descontoDataFixa": [
            {"data": (today + timedelta(days=3)).isoformat(), "valorPerc": "5.00"}]}))
    html = client.get(f"/pay/{t}?lang=pt").get_data(as_text=True)
    due = (today + timedelta(days=3)).strftime("%d/%m/%Y")
    assert f"Vencimento: {due}" in html
    assert "Valor original</dt><dd>R$ 100,00" in html
    assert "Abatimento</dt><dd>- R$ 10,00" in html and "Desconto</dt><dd>- R$ 5,00" in html
    assert f"Valor para pagamento hoje ({today.strftime('%d/%m/%Y')})</dt><dd>R$ 85,00" in html
    paid = client.post("/sandbox/pay", json={"txid": t})
    assert paid.status_code == 201 and paid.get_json()["valor"] == "85.00"
    after = client.get(f"/pay/{t}?lang=pt").get_data(as_text=True)
    assert 'id="breakdown"' not in after and "R$ 85,00" in after


def test_a_late_pix_of_the_original_amount_is_kept_as_unmatched(
    client: FlaskClient, bearer: dict
) -> None:
    from sqlalchemy import update

    from pixgate.charges.models import Charge
    from pixgate.extensions import db
    from tests.integration.helpers import signed_post

    t, today = txid(), brasilia_today()
    client.put(f"/v2/cobv/{t}", headers=bearer,
               json=body(today, multa={"modalidade": 1, "valorPerc": "3.00"}))
    # The cobv fell due ten days ago (set in the row: the API refuses a past due date).
    db.session.execute(update(Charge).where(Charge.txid == t).values(
        due_date=today - timedelta(days=10)))
    db.session.commit()
    pix = {"endToEndId": "E" + "".join(secrets.choice(string.digits) for _ in range(31)),
           "txid": t, "valor": "100.00", "horario": "2026-01-01T00:00:00Z"}
    answer = signed_post(client, "/webhooks/pix", {"pix": [pix]})
    assert answer.status_code == 422, answer.get_json()
    assert "must equal the amount due on" in json.dumps(answer.get_json())
    assert count(ReceivedPix, ReceivedPix.end_to_end_id == pix["endToEndId"],
                 ReceivedPix.match_status == UNMATCHED, ReceivedPix.reason == AMOUNT_DIFFERS,
                 ReceivedPix.charge_id.is_(None), ReceivedPix.amount_cents == 10000) == 1
    assert client.get(f"/v2/cobv/{t}", headers=bearer).get_json()["status"] == "ATIVA"
    right = {**pix, "endToEndId": "E" + "".join(secrets.choice(string.digits) for _ in range(31)),
             "valor": "103.00"}
    assert signed_post(client, "/webhooks/pix", {"pix": [right]}).status_code == 200
    cobv = client.get(f"/v2/cobv/{t}", headers=bearer).get_json()
    assert cobv["status"] == "CONCLUIDA"
    # Past its last payable day, the location says so (410) unless a DPP was asked for.
    db.session.execute(update(Charge).where(Charge.txid == t).values(
        due_date=today - timedelta(days=40)))
    db.session.commit()
    status, problem = payload(client, cobv)
    assert status == 410 and problem["type"].endswith("/CobPayloadNaoEncontrado")
