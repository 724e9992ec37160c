"""cobv through the PSP connector: A (the merchant, PIXGATE_PSP=bcb) creates, revises and removes
cobvs at B (pixgate's sandbox acting as A's PSP behind mutual TLS), through a recording proxy
whose every request must be valid against BCB's API Pix; B's sandbox pays them at the amount
due; A credits only what it read back from B."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from pixgate.cobv.calendar import brasilia_today
from pixgate.psp.base import PspNotFound
from pixgate.psp.bcb import BcbPsp
from tests.bcb_schema import request_errors
from tests.conftest import _fresh_database
from tests.e2e.conftest import LiveServer, free_port, server_env, start_server, stop_server
from tests.e2e.test_psp_client import settings_for
from tests.e2e.test_psp_flows import _bearer, _pixgate, _wait
from tests.fault_proxy import HttpFaultProxy
from tests.psp_harness import PspServer, front, make_certificates, merchant_env, start_psp

pytestmark = pytest.mark.e2e
A_KEY = "pagamentos@pixgate.example"  # server_env's PIXGATE_PIX_KEY: A's key, held at B
DEBTOR = {"cpf": "12345678909", "nome": "Francisco da Silva"}


@dataclass
class Pair:
    """A, B, the recording proxy between them, and A's database."""

    a: LiveServer
    b: PspServer
    to_b: HttpFaultProxy
    a_env: dict[str, str]
    a_db: Engine
    bearer: dict[str, str]

    def rows(self, sql: str, **params: Any) -> list[Any]:
        """Rows of a query on A's own database."""
        with self.a_db.connect() as conn:
            return list(conn.execute(text(sql), params))

    def cobv(self, txid: str) -> requests.Response:
        """A's GET /v2/cobv/{txid}."""
        return requests.get(f"{self.a.url}/v2/cobv/{txid}", headers=self.bearer, timeout=10)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def pair(request: pytest.FixtureRequest,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """B on SQLite; A on SQLite or PostgreSQL, reaching B only through the recording proxy."""
    root = tmp_path_factory.mktemp(f"cobv-{request.param}")
    b = start_psp(root / "b", make_certificates(root / "pki"),
                  PIXGATE_ALLOW_PRIVATE_WEBHOOK_URLS="1")  # B notifies A on 127.0.0.1
    to_b = front(b)
    closers: list[Iterator[str]] = []
    a: LiveServer | None = None
    try:
        port = free_port()
        env = server_env(root / "a", **merchant_env(b, via=to_b),
                         PIXGATE_PUBLIC_URL=f"http://127.0.0.1:{port}", PIXGATE_SWEEP_SECONDS="1",
                         PIXGATE_PSP_RECONCILE_SECONDS="3600")
        if request.param == "postgres":
            closers.append(_fresh_database("postgres"))
            env["PIXGATE_DATABASE_URL"] = next(closers[-1])
        a = start_server(root / "a", env, port)
        _pixgate(env, "psp", "webhook", "register")
        a_url = (env.get("PIXGATE_DATABASE_URL")
                 or f"sqlite:///{root / 'a' / 'instance' / 'pixgate.db'}")
        yield Pair(a=a, b=b, to_b=to_b, a_env=env, a_db=create_engine(a_url),
                   bearer=_bearer(a, env))
    finally:
        if a is not None:
            stop_server(a)
        to_b.close()
        b.stop()
        for closer in closers:
            for _ in closer:
                pass


@pytest.fixture
def b_client(pair: Pair) -> Iterator[BcbPsp]:
    """The test's own client of B (straight, not through A's proxy), to read B's state."""
    client = BcbPsp(settings_for(pair.b))
    yield client
    client.close()


def assert_a_followed_the_spec(pair: Pair, *, sent: str) -> None:
    """Every request A sent B is valid against BCB's API Pix, and `sent` is among them."""
    records = [r for r in pair.to_b.records if r.route != "/oauth/token"]
    assert any(f"{r.method} {r.route}".startswith(sent) for r in records), \
        [f"{r.method} {r.route}" for r in records]
    errors = [f"{r.method} {r.path}: {e}" for r in records
              for e in request_errors(r.method, r.route.removeprefix("/v2"), r.query, r.body)]
    assert not errors, "\n".join(errors)


def _new_cobv(pair: Pair, txid: str, original: str = "50.00", **valor: Any) -> requests.Response:
    due = (brasilia_today() + timedelta(days=10)).isoformat()
    return requests.put(f"{pair.a.url}/v2/cobv/{txid}", headers=pair.bearer, timeout=30, json={
        "calendario": {"dataDeVencimento": due, "validadeAposVencimento": 5},
        "devedor": DEBTOR, "valor": {"original": original, **valor}, "chave": A_KEY,
        "solicitacaoPagador": "Mensalidade"})


def _pay_at_b(pair: Pair, txid: str) -> requests.Response:
    with pair.b.session() as session:
        return session.post(pair.b.url + "/sandbox/pay", json={"txid": txid}, timeout=30)


def _pix_at_a(pair: Pair, txid: str) -> list[Any]:
    return pair.rows("SELECT end_to_end_id, match_status, source, amount_cents FROM received_pix "
                     "WHERE txid = :t ORDER BY id", t=txid)


def test_a_cobv_made_at_b_is_paid_there_at_the_amount_due_and_concluded_at_a(
    pair: Pair, b_client: BcbPsp,
) -> None:
    pair.to_b.clear()
    txid = secrets.token_hex(15)
    rebate = {"modalidade": 1, "valorPerc": "5.00"}
    created = _new_cobv(pair, txid, abatimento=rebate)
    assert created.status_code == 201, created.text
    body = created.json()
    at_b = b_client.get_cobv(txid)
    assert (at_b.status, at_b.amount, at_b.raw["valor"]["abatimento"]) == (
        "ATIVA", Decimal("50.00"), rebate)
    assert body["pixCopiaECola"] == at_b.pix_copia_e_cola and body["location"] == at_b.location
    assert f"127.0.0.1:{pair.b.port}" in body["location"] and "loc" not in body
    assert_a_followed_the_spec(pair, sent=f"PUT /v2/cobv/{txid}")
    paid = _pay_at_b(pair, txid)
    assert paid.status_code == 201, paid.text
    assert Decimal(paid.json()["valor"]) == Decimal("45.00")  # 50.00 less the 5.00 rebate
    assert _wait(lambda: pair.cobv(txid).json()["status"] == "CONCLUIDA", 20), _pix_at_a(pair,
                                                                                       txid)
    [(e2e, match, source, cents)] = _pix_at_a(pair, txid)
    assert (e2e, match, source, cents) == (paid.json()["endToEndId"], "matched",
                                           "psp_webhook", 4500)
    assert [p["endToEndId"] for p in pair.cobv(txid).json()["pix"]] == [e2e]


def test_a_revision_a_put_over_it_and_a_removal_at_a_are_made_at_b_first(
    pair: Pair, b_client: BcbPsp,
) -> None:
    pair.to_b.clear()
    txid = secrets.token_hex(16)
    assert _new_cobv(pair, txid, multa={"modalidade": 2, "valorPerc": "2.00"}).status_code == 201
    url = f"{pair.a.url}/v2/cobv/{txid}"
    revised = requests.patch(url, headers=pair.bearer, timeout=30, json={
        "valor": {"original": "60.00"}, "solicitacaoPagador": "Mensalidade revista"})
    assert revised.status_code == 200 and revised.json()["revisao"] == 1, revised.text
    at_b = b_client.get_cobv(txid)
    assert (at_b.amount, at_b.revision, at_b.raw["solicitacaoPagador"]) == (
        Decimal("60.00"), 1, "Mensalidade revista")
    assert at_b.raw["valor"]["multa"] == {"modalidade": 2, "valorPerc": "2.00"}  # kept
    assert_a_followed_the_spec(pair, sent=f"PATCH /v2/cobv/{txid}")
    loc = requests.post(f"{pair.a.url}/v2/loc", headers=pair.bearer, timeout=10,
                        json={"tipoCob": "cobv"})
    assert loc.status_code == 201, loc.text
    local = requests.patch(url, headers=pair.bearer, timeout=30,
                           json={"loc": {"id": loc.json()["id"]}})
    assert local.status_code == 400 and "PSP" in local.text, local.text
    assert pair.cobv(txid).json()["location"] == at_b.location == b_client.get_cobv(txid).location
    replaced = _new_cobv(pair, txid, original="61.00")  # PUT: valor replaced whole
    assert replaced.status_code == 200 and "multa" not in replaced.json()["valor"], replaced.text
    at_b = b_client.get_cobv(txid)
    assert at_b.amount == Decimal("61.00") and "multa" not in at_b.raw["valor"]
    removed = requests.patch(url, headers=pair.bearer, timeout=30,
                             json={"status": "REMOVIDA_PELO_USUARIO_RECEBEDOR"})
    assert removed.status_code == 200, removed.text
    assert b_client.get_cobv(txid).status == "REMOVIDA_PELO_USUARIO_RECEBEDOR"
    assert pair.cobv(txid).json()["status"] == "REMOVIDA_PELO_USUARIO_RECEBEDOR"
    assert_a_followed_the_spec(pair, sent=f"PUT /v2/cobv/{txid}")


def test_a_cobv_paid_but_not_notified_is_credited_by_the_check_before_expiry(
    pair: Pair, b_client: BcbPsp,
) -> None:
    b_client.put_webhook(A_KEY, f"{pair.a.url}/webhooks/psp/{secrets.token_urlsafe(20)}")  # lost
    try:
        txid = secrets.token_hex(15)
        assert _new_cobv(pair, txid, original="12.00").status_code == 201
        assert _pay_at_b(pair, txid).status_code == 201  # nobody tells A
        time.sleep(1.5)
        assert _pix_at_a(pair, txid) == [] and pair.cobv(txid).json()["status"] == "ATIVA"
        pair.to_b.clear()
        with pair.a_db.begin() as conn:  # its last payable day has passed, as far as A knows
            conn.execute(text("UPDATE charges SET expires_at = :t WHERE txid = :x"),
                         {"t": datetime.now(UTC).replace(tzinfo=None), "x": txid})
        assert _wait(lambda: pair.cobv(txid).json()["status"] == "CONCLUIDA", 20)
        [(_e2e, match, source, _cents)] = _pix_at_a(pair, txid)
        assert (match, source) == ("matched", "expiry_check")
        assert_a_followed_the_spec(pair, sent=f"GET /v2/cobv/{txid}")
    finally:
        _pixgate(pair.a_env, "psp", "webhook", "register")


def test_each_cobv_of_a_lote_at_a_is_made_at_b_and_a_bad_one_never_leaves_a(
    pair: Pair, b_client: BcbPsp,
) -> None:
    pair.to_b.clear()
    good, bad, lote = secrets.token_hex(15), secrets.token_hex(15), secrets.randbelow(2**31)
    due = (brasilia_today() + timedelta(days=3)).isoformat()
    item = {"calendario": {"dataDeVencimento": due}, "devedor": DEBTOR,
            "valor": {"original": "19.90"}, "chave": A_KEY}
    answer = requests.put(f"{pair.a.url}/v2/lotecobv/{lote}", headers=pair.bearer, timeout=60,
                          json={"descricao": "Mensalidades", "cobsv": [
                              {**item, "txid": good},
                              {**item, "txid": bad, "devedor": {"nome": "Sem documento"}}]})
    assert answer.status_code == 202, answer.text
    listed = requests.get(f"{pair.a.url}/v2/lotecobv/{lote}", headers=pair.bearer,
                          timeout=10).json()["cobsv"]
    assert [(i["txid"], i["status"]) for i in listed] == [(good, "CRIADA"), (bad, "NEGADA")]
    assert b_client.get_cobv(good).pix_copia_e_cola == pair.cobv(good).json()["pixCopiaECola"]
    with pytest.raises(PspNotFound):
        b_client.get_cobv(bad)
    assert_a_followed_the_spec(pair, sent=f"PUT /v2/cobv/{good}")
    assert not any(bad in r.route for r in pair.to_b.records)


def test_with_b_down_a_cobv_answers_503_and_nothing_is_written(pair: Pair, tmp_path: Path) -> None:
    txid = secrets.token_hex(15)
    pair.b.stop()
    try:
        answer = _new_cobv(pair, txid)
        assert answer.status_code == 503, answer.text
        assert answer.headers["Content-Type"].startswith("application/problem+json")
        assert pair.rows("SELECT id FROM charges WHERE txid = :t", t=txid) == []
        assert pair.cobv(txid).status_code == 404
    finally:
        pair.b.start()
    assert _new_cobv(pair, txid).status_code == 201  # B is back: no restart of A needed
