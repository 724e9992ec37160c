"""/v2 listings make a fixed number of queries per page, whatever the number of items on it."""

from __future__ import annotations

import secrets
import string

from flask.testing import FlaskClient

from tests.integration.helpers import StatementCounter, signed_post

ALNUM = string.ascii_letters + string.digits
PAGE = {"inicio": "2000-01-01T00:00:00Z", "fim": "2100-01-01T00:00:00Z",
        "paginacao.itensPorPagina": "1000"}
BODY = {"calendario": {"expiracao": 3600}, "valor": {"original": "123.45"},
        "chave": "pagamentos@pixgate.example"}


def _paid_cobs(client: FlaskClient, bearer: dict, count: int) -> None:
    """`count` cobs, each with its location and a Pix received by callback."""
    for _ in range(count):
        txid = "".join(secrets.choice(ALNUM) for _ in range(30))
        assert client.put(f"/v2/cob/{txid}", json=BODY, headers=bearer).status_code == 201
        e2e = "E" + "".join(secrets.choice(ALNUM) for _ in range(31))
        paid = signed_post(client, "/webhooks/pix", {"pix": [
            {"endToEndId": e2e, "txid": txid, "valor": "123.45",
             "horario": "2026-01-01T00:00:00Z"}]})
        assert paid.status_code == 200, paid.get_json()


def _queries(client: FlaskClient, bearer: dict, path: str, key: str) -> tuple[int, int]:
    with StatementCounter() as seen:
        response = client.get(path, query_string=PAGE, headers=bearer)
    assert response.status_code == 200, response.get_json()
    return seen.count(), len(response.get_json()[key])


def test_listings_query_a_fixed_number_of_times_per_page(
    client: FlaskClient, bearer: dict
) -> None:
    _paid_cobs(client, bearer, 2)
    small = {path: _queries(client, bearer, path, key)
             for path, key in (("/v2/cob", "cobs"), ("/v2/pix", "pix"), ("/v2/loc", "loc"))}
    _paid_cobs(client, bearer, 10)
    for path, key in (("/v2/cob", "cobs"), ("/v2/pix", "pix"), ("/v2/loc", "loc")):
        queries, items = _queries(client, bearer, path, key)
        assert (small[path][1], items) == (2, 12)
        assert queries == small[path][0], f"{path}: {small[path][0]} queries for 2 items, " \
                                          f"{queries} for 12"
        assert queries <= 6, f"{path}: {queries} queries for one page"


def test_a_listed_cob_carries_its_location_and_pix(client: FlaskClient, bearer: dict) -> None:
    _paid_cobs(client, bearer, 3)
    cobs = client.get("/v2/cob", query_string=PAGE, headers=bearer).get_json()["cobs"]
    assert len(cobs) == 3
    for cob in cobs:
        assert cob["status"] == "CONCLUIDA" and cob["loc"]["txid"] == cob["txid"]
        assert [p["txid"] for p in cob["pix"]] == [cob["txid"]]
    locs = client.get("/v2/loc", query_string=PAGE, headers=bearer).get_json()["loc"]
    assert sorted(loc["txid"] for loc in locs) == sorted(c["txid"] for c in cobs)
