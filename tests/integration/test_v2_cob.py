"""BCB /cob over each database; every response body checked against the official schema."""

from __future__ import annotations

import secrets
import string

import pytest
from flask.testing import FlaskClient

from pixgate import brcode
from tests.bcb_schema import assert_matches
from tests.integration.helpers import create_payment

ALNUM = string.ascii_letters + string.digits
BODY = {"calendario": {"expiracao": 3600}, "valor": {"original": "123.45"},
        "chave": "pagamentos@pixgate.example", "solicitacaoPagador": "Pedido 42",
        "devedor": {"cpf": "12345678909", "nome": "Fulana de Tal"},
        "infoAdicionais": [{"nome": "Pedido", "valor": "42"}]}


def txid(n: int = 30) -> str:
    return "".join(secrets.choice(ALNUM) for _ in range(n))


def test_put_creates_a_dynamic_cob(client: FlaskClient, bearer: dict) -> None:
    t = txid()
    response = client.put(f"/v2/cob/{t}", json=BODY, headers=bearer)
    assert response.status_code == 201, response.get_json()
    cob = response.get_json()
    assert_matches(cob, "CobGerada")
    assert cob["txid"] == t and cob["status"] == "ATIVA" and cob["revisao"] == 0
    assert cob["valor"]["original"] == "123.45" and cob["calendario"]["expiracao"] == 3600
    code = brcode.decode(cob["pixCopiaECola"])
    assert code.is_dynamic and code.url == cob["location"] == cob["loc"]["location"]
    assert code.txid == "***"
    got = client.get(f"/v2/cob/{t}", headers=bearer)
    assert_matches(got.get_json(), "CobCompleta")


def test_post_generates_a_txid(client: FlaskClient, bearer: dict) -> None:
    response = client.post("/v2/cob", json=BODY, headers=bearer)
    assert response.status_code == 201
    assert 26 <= len(response.get_json()["txid"]) <= 35
    assert_matches(response.get_json(), "CobGerada")


def test_patch_revises_and_keeps_history(client: FlaskClient, bearer: dict) -> None:
    t = txid()
    client.put(f"/v2/cob/{t}", json=BODY, headers=bearer)
    patched = client.patch(f"/v2/cob/{t}", json={"valor": {"original": "99.90"}}, headers=bearer)
    assert patched.status_code == 200
    assert patched.get_json()["revisao"] == 1
    assert_matches(patched.get_json(), "CobGerada")
    old = client.get(f"/v2/cob/{t}?revisao=0", headers=bearer).get_json()
    assert old["valor"]["original"] == "123.45" and old["revisao"] == 0
    missing = client.get(f"/v2/cob/{t}?revisao=7", headers=bearer)
    assert missing.status_code == 400
    assert missing.get_json()["type"].endswith("/CobConsultaInvalida")
    removed = client.patch(f"/v2/cob/{t}", json={"status": "REMOVIDA_PELO_USUARIO_RECEBEDOR"},
                           headers=bearer)
    assert removed.get_json()["status"] == "REMOVIDA_PELO_USUARIO_RECEBEDOR"
    again = client.patch(f"/v2/cob/{t}", json={"valor": {"original": "1.00"}}, headers=bearer)
    assert again.status_code == 400 and again.get_json()["type"].endswith("/CobOperacaoInvalida")


@pytest.mark.parametrize(
    ("body", "props"),
    [
        ({**BODY, "valor": {"original": "1.5"}}, {"valor.original"}),
        ({**BODY, "valor": {"original": "0.00"}}, {"valor.original"}),
        ({**BODY, "chave": "not a key"}, {"chave"}),
        ({**BODY, "chave": "PAGAMENTOS@PIXGATE.EXAMPLE"}, {"chave"}),
        ({**BODY, "calendario": {"expiracao": 0}}, {"calendario.expiracao"}),
        ({**BODY, "calendario": {"expiracao": "3600"}}, {"calendario.expiracao"}),
        ({**BODY, "devedor": {"cpf": "123", "cnpj": "1", "nome": ""}},
         {"devedor", "devedor.nome"}),
        ({**BODY, "infoAdicionais": [{"nome": "x"}]}, {"infoAdicionais[0]"}),
        ({**BODY, "loc": {"id": 999999}}, {"loc.id"}),
        ({"valor": {"original": "x"}, "chave": 5}, {"valor.original", "chave"}),
        ({**BODY, "surprise": 1}, {"surprise"}),
    ],
)
def test_invalid_cobs_name_every_violation(
    client: FlaskClient, bearer: dict, body: dict, props: set
) -> None:
    response = client.put(f"/v2/cob/{txid()}", json=body, headers=bearer)
    problem = response.get_json()
    assert response.status_code in (400, 404), problem
    assert_matches(problem, "Problema") if "Problema" in _schemas() else None
    if response.status_code == 400:
        assert problem["type"] == "https://pix.bcb.gov.br/api/v2/error/CobOperacaoInvalida"
        assert {v["propriedade"] for v in problem["violacoes"]} >= props


def _schemas() -> set[str]:
    from tests.bcb_schema import _spec

    return set(_spec()["components"]["schemas"])


@pytest.mark.parametrize("bad", ["short", "x" * 36, "has-dash-" + "a" * 20])
def test_bad_txids(client: FlaskClient, bearer: dict, bad: str) -> None:
    response = client.put(f"/v2/cob/{bad}", json=BODY, headers=bearer)
    assert response.status_code == 400
    assert "txid" in {v["propriedade"] for v in response.get_json()["violacoes"]}


def test_txid_in_use_is_refused_for_post_and_unknown_is_404(
    client: FlaskClient, bearer: dict
) -> None:
    assert client.get(f"/v2/cob/{txid()}", headers=bearer).status_code == 404
    assert client.patch(f"/v2/cob/{txid()}", json={}, headers=bearer).status_code == 404


def test_list_filters_and_pages_and_includes_legacy_payments(
    client: FlaskClient, bearer: dict
) -> None:
    legacy = create_payment(client)
    for _ in range(3):
        client.post("/v2/cob", json=BODY, headers=bearer)
    params = {"inicio": "2000-01-01T00:00:00Z", "fim": "2100-01-01T00:00:00Z",
              "paginacao.itensPorPagina": "2"}
    page0 = client.get("/v2/cob", query_string=params, headers=bearer).get_json()
    assert_matches(page0, "CobsConsultadas", static_txids=True)
    assert page0["parametros"]["paginacao"]["quantidadeTotalDeItens"] == 4
    assert page0["parametros"]["paginacao"]["quantidadeDePaginas"] == 2
    assert page0["cobs"][0]["txid"] == legacy["bank_payment_id"]
    only = client.get("/v2/cob", query_string={**params, "cpf": "12345678909"},
                      headers=bearer).get_json()
    assert only["parametros"]["paginacao"]["quantidadeTotalDeItens"] == 3
    assert_matches(only, "CobsConsultadas")


@pytest.mark.parametrize(
    "query",
    [{}, {"inicio": "yesterday", "fim": "2100-01-01T00:00:00Z"},
     {"inicio": "2100-01-01T00:00:00Z", "fim": "2000-01-01T00:00:00Z"},
     {"inicio": "2000-01-01T00:00:00", "fim": "2100-01-01T00:00:00Z"},
     {"inicio": "2000-01-01T00:00:00Z", "fim": "2100-01-01T00:00:00Z", "cpf": "1", "cnpj": "2"},
     {"inicio": "2000-01-01T00:00:00Z", "fim": "2100-01-01T00:00:00Z",
      "paginacao.paginaAtual": "-1"},
     {"inicio": "2000-01-01T00:00:00Z", "fim": "2100-01-01T00:00:00Z", "status": "PAGA"},
     {"inicio": "0001-01-01T00:00:00+01:00", "fim": "2100-01-01T00:00:00Z"},
     {"inicio": "2000-01-01T00:00:00Z", "fim": "9999-12-31T23:59:59-01:00"}],
)
def test_bad_list_queries(client: FlaskClient, bearer: dict, query: dict) -> None:
    response = client.get("/v2/cob", query_string=query, headers=bearer)
    assert response.status_code == 400
    assert response.get_json()["type"].endswith("/CobConsultaInvalida")


def test_cob_endpoints_need_a_token_with_the_scope(client: FlaskClient) -> None:
    assert client.get(f"/v2/cob/{txid()}").status_code == 401
    assert client.get(f"/v2/cob/{txid()}",
                      headers={"Authorization": "Bearer nope"}).status_code == 401
