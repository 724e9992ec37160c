"""Migration 0002 on every backend: existing charges and their rows survive, new ids are wide,
foreign keys still hold, and the schema matches the models."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from pixgate.app import MIGRATIONS, create_app
from pixgate.charges.ids import MIN_CHARGE_ID
from pixgate.extensions import db
from tests.conftest import BACKENDS
from tests.factories import make_config

OLD_CHARGE = """INSERT INTO charges (id, txid, amount_cents, status, brcode, pix_key, merchant_name,
    merchant_city, created_at, expires_at, revision, kind) VALUES (7, 'OLDTXID0000000000000000007',
    1234, 'PAID', 'code', 'k@example.com', 'Loja', 'Sao Paulo', '2026-01-01 00:00:00',
    '2026-01-01 00:30:00', 0, 'legacy')"""
OLD_EVENT = """INSERT INTO charge_events (charge_id, kind, source, data, created_at)
    VALUES (:charge, 'created', 'test', '{}', '2026-01-01 00:00:00')"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_0002_keeps_old_charges_and_takes_wide_random_ids(
    backend: str, own_database: Callable[[str], str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}" if backend == "sqlite" else own_database(backend)
    app = create_app(make_config(tmp_path, DATABASE_URL=url, SANDBOX=True))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS), revision="0001")
        db.session.execute(text(OLD_CHARGE))
        db.session.execute(text(OLD_EVENT), {"charge": 7})
        db.session.commit()
        upgrade(directory=str(MIGRATIONS))

        created = app.test_client().post("/payments/pix", json={"value": "10.00"})
        new_id = created.get_json()["payment"]["id"]
        assert MIN_CHARGE_ID <= new_id < 2**53
        db.session.execute(text(OLD_EVENT), {"charge": new_id})
        db.session.commit()
        rows = db.session.execute(text(
            "SELECT charge_id FROM charge_events ORDER BY charge_id")).scalars().all()
        assert 7 in rows and new_id in rows
        assert db.session.execute(text("SELECT amount_cents FROM charges WHERE id = 7")
                                  ).scalar() == 1234
        if backend != "sqlite":  # the foreign keys were put back after widening
            with pytest.raises(IntegrityError):
                db.session.execute(text(OLD_EVENT), {"charge": 2**40 + 1})
                db.session.commit()
            db.session.rollback()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = compare_metadata(context, db.metadata)
        assert diffs == []
        db.session.remove()
        db.engine.dispose()
