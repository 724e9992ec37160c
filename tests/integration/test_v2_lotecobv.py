"""BCB /lotecobv: one request creates many cobvs; each item CRIADA or NEGADA on its own."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from flask.testing import FlaskClient
from flask_migrate import upgrade

from pixgate.app import MIGRATIONS, create_app
from pixgate.cobv.calendar import brasilia_today
from pixgate.extensions import db
from pixgate.oauth import service as oauth
from tests.bcb_schema import assert_matches
from tests.factories import make_config
from tests.integration.test_v2_cobv import body, txid

WINDOW = {"inicio": "2000-01-01T00:00:00Z", "fim": "2999-01-01T00:00:00Z"}


def lote_id() -> int:
    return random.randint(1, 2**31 - 1)


def test_a_lote_creates_each_cobv_and_refuses_only_the_bad_one(
    client: FlaskClient, bearer: dict
) -> None:
    due = brasilia_today() + timedelta(days=5)
    good, bad, other = txid(), txid(), txid()
    broken = body(due)
    broken["devedor"] = {"cpf": "11111111111", "nome": "Check Digits Wrong"}
    request = {"descricao": "Mensalidades de dezembro", "cobsv": [
        {"txid": good, **body(due)}, {"txid": bad, **broken}, {"txid": other, **body(due)}]}
    n = lote_id()
    put = client.put(f"/v2/lotecobv/{n}", headers=bearer, json=request)
    assert put.status_code == 202, put.get_json()
    lote = client.get(f"/v2/lotecobv/{n}", headers=bearer).get_json()
    assert_matches(lote, "LoteCobVConsultado")
    assert [(i["txid"], i["status"]) for i in lote["cobsv"]] == [
        (good, "CRIADA"), (bad, "NEGADA"), (other, "CRIADA")]
    problem = lote["cobsv"][1]["problema"]
    assert problem["type"].endswith("/CobVOperacaoInvalida")
    assert problem["violacoes"][0]["propriedade"] == "cobv.devedor.cpf"
    assert client.get(f"/v2/cobv/{good}", headers=bearer).status_code == 200
    assert client.get(f"/v2/cobv/{bad}", headers=bearer).status_code == 404
    alone = client.put(f"/v2/cobv/{bad}", headers=bearer, json=body(due))
    assert alone.status_code == 400 and alone.get_json()["violacoes"][0]["propriedade"] == "txid"
    listed = client.get("/v2/cobv", headers=bearer,
                        query_string={**WINDOW, "loteCobVId": n}).get_json()
    assert_matches(listed, "CobsVConsultadas")
    assert sorted(c["txid"] for c in listed["cobs"]) == sorted([good, other])
    lotes = client.get("/v2/lotecobv", headers=bearer, query_string=WINDOW).get_json()
    assert_matches(lotes, "LotesCobVConsultados")
    assert [item["id"] for item in lotes["lotes"]] == [n]

    # PATCH: some of the same cobvs; fixing the refused one creates it.
    fixed = {"txid": bad, **body(due)}
    patch = client.patch(f"/v2/lotecobv/{n}", headers=bearer, json={"cobsv": [
        fixed, {"txid": good, "valor": {"original": "250.00"}}]})
    assert patch.status_code == 202, patch.get_json()
    statuses = {i["txid"]: i["status"] for i in
                client.get(f"/v2/lotecobv/{n}", headers=bearer).get_json()["cobsv"]}
    assert statuses == {good: "CRIADA", bad: "NEGADA", other: "CRIADA"}  # PATCH cannot create
    revised = client.get(f"/v2/cobv/{good}", headers=bearer).get_json()
    assert revised["valor"]["original"] == "250.00" and revised["revisao"] == 1
    again = client.put(f"/v2/lotecobv/{n}", headers=bearer, json={**request, "cobsv": [
        {"txid": good, **body(due)}, fixed, {"txid": other, **body(due)}]})
    assert again.status_code == 202
    statuses = {i["txid"]: i["status"] for i in
                client.get(f"/v2/lotecobv/{n}", headers=bearer).get_json()["cobsv"]}
    assert statuses == {good: "CRIADA", bad: "CRIADA", other: "CRIADA"}


def test_a_lote_keeps_its_txids(client: FlaskClient, bearer: dict) -> None:
    due = brasilia_today() + timedelta(days=5)
    n, first = lote_id(), txid()
    client.put(f"/v2/lotecobv/{n}", headers=bearer,
               json={"descricao": "x", "cobsv": [{"txid": first, **body(due)}]})
    grown = client.put(f"/v2/lotecobv/{n}", headers=bearer, json={"descricao": "x", "cobsv": [
        {"txid": first, **body(due)}, {"txid": txid(), **body(due)}]})
    assert grown.status_code == 400
    assert grown.get_json()["type"].endswith("/LoteCobVOperacaoInvalida")
    stranger = client.patch(f"/v2/lotecobv/{n}", headers=bearer,
                            json={"cobsv": [{"txid": txid(), **body(due)}]})
    assert stranger.status_code == 400
    other = lote_id()
    taken = client.put(f"/v2/lotecobv/{other}", headers=bearer,
                       json={"descricao": "y", "cobsv": [{"txid": first, **body(due)}]})
    assert taken.status_code == 202
    item = client.get(f"/v2/lotecobv/{other}", headers=bearer).get_json()["cobsv"][0]
    assert item["status"] == "NEGADA" and "already in use" in item["problema"]["detail"]
    assert client.get(f"/v2/lotecobv/{lote_id()}", headers=bearer).status_code == 404
    assert client.get("/v2/lotecobv/abc", headers=bearer).status_code == 404
    empty = client.put(f"/v2/lotecobv/{lote_id()}", headers=bearer,
                       json={"descricao": "z", "cobsv": []})
    assert empty.status_code == 400
    twice = client.put(f"/v2/lotecobv/{lote_id()}", headers=bearer, json={
        "descricao": "z", "cobsv": [{"txid": first, **body(due)}] * 2})
    assert twice.status_code == 400


def test_a_lote_takes_a_thousand_cobvs_and_not_one_more(tmp_path: Path) -> None:
    """One SQLite app: the size limits are the edge's, not the backend's."""
    app = create_app(make_config(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/lote.db"))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        client_id, secret = oauth.create_client(db.session, name="lote")
        token = oauth.issue_token(db.session, client_id=client_id, secret=secret, scope=None)
        headers = {"Authorization": f"Bearer {token.access_token}"}
        client = app.test_client()
        due = brasilia_today() + timedelta(days=5)
        items = [{"txid": txid(), **body(due, multa={"modalidade": 2, "valorPerc": "2.00"})}
                 for _ in range(1001)]
        too_many = client.put("/v2/lotecobv/1", headers=headers,
                              json={"descricao": "grande", "cobsv": items})
        assert too_many.status_code == 400, too_many.get_json()
        assert too_many.get_json()["type"].endswith("/LoteCobVOperacaoInvalida")
        done = client.put("/v2/lotecobv/1", headers=headers,
                          json={"descricao": "grande", "cobsv": items[:1000]})
        assert done.status_code == 202, done.get_data()[:300]
        lote = client.get("/v2/lotecobv/1", headers=headers).get_json()
        assert [i["status"] for i in lote["cobsv"]] == ["CRIADA"] * 1000
        db.session.remove()
        db.engine.dispose()
