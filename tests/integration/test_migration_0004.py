"""Migration 0004 (cobv) on every backend: existing charges keep their event rows, the schema
matches the models, and it downgrades and upgrades again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from pixgate.app import MIGRATIONS, create_app
from pixgate.extensions import db
from tests.conftest import BACKENDS
from tests.factories import make_config
from tests.integration.test_migration_0002 import OLD_CHARGE, OLD_EVENT


@pytest.mark.parametrize("backend", BACKENDS)
def test_0004_keeps_every_row_of_existing_charges(
    backend: str, own_database: Callable[[str], str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}" if backend == "sqlite" else own_database(backend)
    app = create_app(make_config(tmp_path, DATABASE_URL=url, SANDBOX=True))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS), revision="0003")
        db.session.execute(text(OLD_CHARGE))
        db.session.execute(text(OLD_EVENT), {"charge": 7})
        db.session.commit()
        upgrade(directory=str(MIGRATIONS), revision="0004")
        events = db.session.execute(text("SELECT charge_id FROM charge_events")).scalars().all()
        assert events == [7]
        editable = db.session.execute(text(
            "SELECT amount_editable FROM charges WHERE id = 7")).scalar()
        assert not editable
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert [d for d in compare_metadata(context, db.metadata)] == []
        db.session.remove()
        downgrade(directory=str(MIGRATIONS), revision="0003")
        upgrade(directory=str(MIGRATIONS))
        assert db.session.execute(text("SELECT count(*) FROM charge_events")).scalar() == 1
        db.session.remove()
        db.engine.dispose()
