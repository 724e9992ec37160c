"""db.core: hot writes on a Core connection that join an open session transaction, and
instances built as loaded without a session."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, select
from sqlalchemy.orm.exc import DetachedInstanceError

from pixgate.charges.ids import new_charge_id, new_txid
from pixgate.charges.models import ACTIVE, LEGACY, Charge
from pixgate.db import core
from pixgate.db.types import utcnow
from pixgate.extensions import db
from tests.integration.helpers import create_payment

INSERT = Charge.__table__.insert()


def _row() -> dict[str, Any]:
    now = utcnow()
    return {"id": new_charge_id(), "txid": new_txid(), "amount_cents": 1234, "status": ACTIVE,
            "brcode": "000201", "pix_key": "k@x.example", "merchant_name": "Loja",
            "merchant_city": "Sao Paulo", "created_at": now,
            "expires_at": now + timedelta(minutes=5), "revision": 0, "kind": LEGACY,
            "amount_editable": False}


def _stored(txid: str) -> int | None:
    found = db.session.scalar(select(Charge.id).where(Charge.txid == txid))
    db.session.rollback()
    return found


def test_without_an_open_transaction_it_commits_on_its_own(app: Flask) -> None:
    row = _row()
    assert not db.session().in_transaction()
    with core.write(db.session) as connection:
        connection.execute(INSERT, row)
    assert not db.session().in_transaction()
    assert _stored(row["txid"]) == row["id"]


def test_it_joins_the_session_transaction_and_commits_it(app: Flask) -> None:
    first, second = _row(), _row()
    db.session.execute(INSERT, first)  # the session's transaction is open now
    with core.write(db.session) as connection:
        assert connection is db.session.connection()
        connection.execute(INSERT, second)
    assert not db.session().in_transaction()
    assert (_stored(first["txid"]), _stored(second["txid"])) == (first["id"], second["id"])


@pytest.mark.parametrize("open_first", [False, True])
def test_an_error_in_the_block_writes_nothing(app: Flask, open_first: bool) -> None:
    earlier, row = _row(), _row()
    if open_first:
        db.session.execute(INSERT, earlier)
    with pytest.raises(RuntimeError), core.write(db.session) as connection:
        connection.execute(INSERT, row)
        raise RuntimeError("the caller changed its mind")
    assert _stored(row["txid"]) is None
    assert _stored(earlier["txid"]) is None  # the joined transaction is rolled back whole


def test_loaded_is_detached_complete_and_clean(app: Flask) -> None:
    row = _row()
    charge = core.loaded(Charge, row)
    state = inspect(charge)
    assert state.detached and not state.modified
    assert state.identity == (row["id"],)
    assert charge.txid == row["txid"] and charge.amount == charge.amount.__class__("12.34")
    assert charge.debtor is None and charge.paid_at is None  # columns absent from the row: NULL
    merged = db.session.merge(charge, load=False)  # usable as a loaded instance would be
    assert merged.id == row["id"]


def test_fresh_brings_the_instance_the_session_holds_up_to_date(app: Flask) -> None:
    row = _row()
    with core.write(db.session) as connection:
        connection.execute(INSERT, row)
    held = db.session.get(Charge, row["id"])
    assert held is not None and held.revision == 0
    read = {**row, "revision": 1, "status": "PAID"}  # as a later read of the row returned it
    assert core.fresh(db.session, Charge, read) is held
    assert (held.revision, held.status) == (1, "PAID") and not inspect(held).modified
    other = _row()
    alone = core.fresh(db.session, Charge, other)  # the session holds none: a detached one
    assert inspect(alone).detached and alone.txid == other["txid"]


def test_fresh_keeps_a_held_instance_s_unflushed_change(app: Flask) -> None:
    row = _row()
    with core.write(db.session) as connection:
        connection.execute(INSERT, row)
    held = db.session.get(Charge, row["id"])
    assert held is not None
    held.description = "changed in this transaction, not flushed yet"
    assert core.fresh(db.session, Charge, row) is held  # `row` was read before the change
    assert held.description == "changed in this transaction, not flushed yet"
    assert not inspect(held).modified  # flushed, and read back as the database has it
    db.session.commit()
    assert db.session.scalar(select(Charge.description).where(Charge.id == row["id"])) == (
        "changed in this transaction, not flushed yet")


@pytest.mark.parametrize("open_first", [False, True])
def test_after_commit_runs_once_the_block_has_committed(app: Flask, open_first: bool) -> None:
    earlier, row = _row(), _row()
    if open_first:
        db.session.execute(INSERT, earlier)
    seen: list[int | None] = []
    with core.write(db.session) as connection:
        connection.execute(INSERT, row)
        core.after_commit(connection, lambda: seen.append(_stored(row["txid"])))
        assert seen == []  # not before the commit
    assert seen == [row["id"]]  # and by then the row is visible to another transaction


@pytest.mark.parametrize("open_first", [False, True])
def test_after_commit_never_runs_after_a_rollback(app: Flask, open_first: bool) -> None:
    if open_first:
        db.session.execute(INSERT, _row())
    seen: list[str] = []
    with pytest.raises(LookupError), core.write(db.session) as connection:
        core.after_commit(connection, lambda: seen.append("announced"))
        raise LookupError("the block failed")
    with core.write(db.session) as connection:  # the next block on a pooled connection
        connection.execute(INSERT, _row())
    assert seen == []  # neither then nor at the next commit


def test_after_commit_refuses_a_connection_outside_a_write_block(app: Flask) -> None:
    with db.engine.connect() as connection, pytest.raises(RuntimeError, match=r"core\.write"):
        core.after_commit(connection, lambda: None)


def test_write_blocks_do_not_nest_on_one_connection(app: Flask) -> None:
    db.session.execute(INSERT, _row())
    with pytest.raises(RuntimeError, match="nest"), core.write(db.session), \
            core.write(db.session):
        pass


def test_a_partial_instance_refuses_the_columns_it_was_not_given(app: Flask) -> None:
    row = _row()
    partial = {k: row[k] for k in ("id", "txid", "amount_cents", "status")}
    charge = core.loaded(Charge, partial, complete=False)
    assert charge.txid == row["txid"] and charge.status == ACTIVE
    with pytest.raises(DetachedInstanceError):
        _ = charge.merchant_name  # never silently None


def test_fresh_with_some_columns_reloads_the_others_of_a_held_instance(app: Flask) -> None:
    row = _row()
    with core.write(db.session) as connection:
        connection.execute(INSERT, row)
    held = db.session.get(Charge, row["id"])
    assert held is not None and held.merchant_name == "Loja"
    with db.engine.begin() as other:  # another transaction renames the merchant meanwhile
        other.execute(Charge.__table__.update().where(Charge.id == row["id"])
                      .values(merchant_name="Outra", revision=1))
    read = {"id": row["id"], "status": ACTIVE, "revision": 1}  # a read of some columns
    assert core.fresh(db.session, Charge, read) is held
    assert held.revision == 1
    # read again (READ COMMITTED everywhere), not the older value the instance held
    assert held.merchant_name == "Outra"


def test_a_paid_charge_answer_holds_what_the_seed_route_and_events_read(
    app: Flask, client: FlaskClient
) -> None:
    from pixgate.charges import payment

    payment_json = create_payment(client)
    db.session.remove()  # as in a request: no session holds the charge
    done = payment.confirm_payment(db.session, txid=payment_json["bank_payment_id"],
                                   amount=Decimal(payment_json["value"]), source="test")
    charge = done.charge
    assert inspect(charge).detached
    assert set(inspect(charge).dict) >= set(payment.PAYMENT_COLUMNS)
    assert (charge.status, charge.amount, charge.brcode) == (
        "PAID", Decimal(payment_json["value"]), payment_json["brcode"])
