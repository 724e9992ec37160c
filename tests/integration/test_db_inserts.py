"""insert_new: one prebuilt INSERT, and an object as loaded as a flush would leave it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, text

from pixgate.charges.ids import new_txid
from pixgate.charges.models import ACTIVE, LEGACY, Charge
from pixgate.db.inserts import insert_new
from pixgate.db.types import utcnow
from pixgate.extensions import db
from tests.integration.helpers import StatementCounter


def _charge(**extra: object) -> Charge:
    now = utcnow()
    return Charge(txid=new_txid(), amount_cents=1234, brcode="000201", pix_key="k@x.example",
                  merchant_name="Loja", merchant_city="Sao Paulo", created_at=now,
                  expires_at=now + timedelta(minutes=5), **extra)


def test_one_insert_then_every_attribute_is_loaded(app: Flask) -> None:
    charge = _charge()
    with StatementCounter() as seen:
        insert_new(db.session, charge)
        assert charge.id is not None and charge.id > 0
        # defaults applied on the object as in the row; nothing read back, nothing pending
        assert (charge.status, charge.kind, charge.revision) == (ACTIVE, LEGACY, 0)
        assert charge.paid_at is None and charge.debtor is None
        assert db.session.get(Charge, charge.id) is charge
        db.session.commit()
    assert seen.count("INSERT") == 1 and seen.count("SELECT") == 0 and seen.count("UPDATE") == 0
    row = db.session.execute(text("SELECT status, kind, revision, debtor, extra_info FROM charges "
                                  "WHERE id = :i"), {"i": charge.id}).one()
    assert tuple(row) == (ACTIVE, LEGACY, 0, None, None)  # unset JSON is SQL NULL


def test_rolled_back_insert_leaves_no_row(app: Flask) -> None:
    charge = _charge()
    insert_new(db.session, charge)
    txid = charge.txid
    db.session.rollback()
    assert db.session.scalar(select(Charge.id).where(Charge.txid == txid)) is None


def test_refuses_an_object_already_in_a_session(app: Flask) -> None:
    charge = _charge()
    db.session.add(charge)
    with pytest.raises(ValueError, match="new object"):
        insert_new(db.session, charge)
