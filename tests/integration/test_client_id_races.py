"""Two requests racing on an id the client chose get 409-style answers or the same result: no 500.

Each test holds both requests at a barrier right after their "does it exist?" check, so both
pass it before either writes: the race happens on every run, on every backend.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event

from pixgate.charges import payment, service
from pixgate.charges.models import Charge
from pixgate.extensions import db
from pixgate.refunds.models import Refund
from tests.integration.helpers import count
from tests.integration.test_v2_cob import BODY, txid


@contextmanager
def _both_pass(check: Callable[[str], bool]) -> Iterator[None]:
    """Hold the first two statements that `check` matches until both have run."""
    barrier, seen, lock = threading.Barrier(2), [0], threading.Lock()

    def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not check(statement):
            return
        with lock:
            seen[0] += 1
            mine = seen[0]
        if mine <= 2:
            barrier.wait(timeout=20)

    event.listen(db.engine, "after_cursor_execute", after)
    try:
        yield
    finally:
        event.remove(db.engine, "after_cursor_execute", after)
    assert seen[0] >= 2, "the two requests never both reached the check"


def _twice(app: Flask, request: Callable[[Any], Any]) -> list[Any]:
    def one(_: int) -> Any:
        return request(app.test_client())

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(one, range(2)))


def _paid_pix(app: Flask, amount: str = "50.00") -> str:
    receiver = app.extensions["pixgate.receiver"]
    from decimal import Decimal

    charge = service.create_charge(db.session, amount=Decimal(amount), receiver=receiver,
                                   ttl_seconds=600, source="test").charge
    pix = payment.confirm_payment(db.session, txid=charge.txid, amount=charge.amount,
                                  source="test").pix
    assert pix is not None
    return pix.end_to_end_id


def _is_refund_lookup(statement: str) -> bool:
    return "refunds.pix_id = " in statement and "refunds.refund_id = " in statement


def test_the_same_refund_id_twice_at_once_is_one_refund(app: Flask, bearer: dict) -> None:
    for n, valor in enumerate(("10.00", "50.00"), 1):  # part (both could reserve), or whole
        path = f"/v2/pix/{_paid_pix(app, '50.00')}/devolucao/race{n}"
        with _both_pass(_is_refund_lookup):
            answers = _twice(app, lambda c, p=path, v=valor: c.put(p, json={"valor": v},
                                                                    headers=bearer))
        codes = sorted(a.status_code for a in answers)
        assert codes == [200, 201], [a.get_json() for a in answers]
        assert answers[0].get_json()["rtrId"] == answers[1].get_json()["rtrId"]
        assert count(Refund) == n


def test_the_same_refund_id_with_another_amount_at_once_is_a_conflict(
    app: Flask, bearer: dict
) -> None:
    e2e = _paid_pix(app)
    path = f"/v2/pix/{e2e}/devolucao/raceconflict"
    amounts = iter(["10.00", "20.00"])
    lock = threading.Lock()

    def put(c: Any) -> Any:
        with lock:
            valor = next(amounts)
        return c.put(path, json={"valor": valor}, headers=bearer)

    with _both_pass(_is_refund_lookup):
        answers = _twice(app, put)
    codes = sorted(a.status_code for a in answers)
    assert codes == [201, 400], [a.get_json() for a in answers]
    loser = next(a for a in answers if a.status_code == 400).get_json()
    assert loser["type"].endswith("/PixDevolucaoInvalida")
    assert count(Refund) == 1


def _is_location_check(statement: str) -> bool:
    return statement.lstrip().upper().startswith("SELECT") and "charges.location_id = " in statement


def test_the_same_loc_id_for_two_new_cobs_at_once_links_one(app: Flask, bearer: dict) -> None:
    client = app.test_client()
    loc = client.post("/v2/loc", json={"tipoCob": "cob"}, headers=bearer).get_json()["id"]
    with _both_pass(_is_location_check):
        answers = _twice(app, lambda c: c.put(f"/v2/cob/{txid()}",
                                               json={**BODY, "loc": {"id": loc}}, headers=bearer))
    codes = sorted(a.status_code for a in answers)
    assert codes == [201, 400], [a.get_json() for a in answers]
    loser = next(a for a in answers if a.status_code == 400).get_json()
    assert loser["type"].endswith("/CobOperacaoInvalida")
    assert [v["propriedade"] for v in loser["violacoes"]] == ["loc.id"]
    assert count(Charge, Charge.location_id == loc) == 1


def test_the_same_txid_put_twice_at_once_is_created_once(app: Flask, bearer: dict) -> None:
    t = txid()

    def is_txid_check(statement: str) -> bool:
        return statement.lstrip().upper().startswith("SELECT") and "charges.txid = " in statement

    with _both_pass(is_txid_check):
        answers = _twice(app, lambda c: c.put(f"/v2/cob/{t}", json=BODY, headers=bearer))
    codes = sorted(a.status_code for a in answers)
    assert codes == [200, 201], [a.get_json() for a in answers]
    assert {a.get_json()["txid"] for a in answers} == {t}
    assert count(Charge, Charge.txid == t) == 1
