"""Both spellings of the migration command the docs give build the schema from nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

FLASK = str(Path(sys.executable).with_name("flask"))
PIXGATE = str(Path(sys.executable).with_name("pixgate"))


@pytest.mark.parametrize(
    "command",
    [[FLASK, "db", "upgrade"], [FLASK, "--app", "pixgate", "db", "upgrade"],
     [PIXGATE, "db", "upgrade"]],
    ids=["flask-db-upgrade-in-the-repo", "flask-app-pixgate", "pixgate-db-upgrade"],
)
def test_migration_commands_create_the_schema(command: list[str], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIXGATE_", "FLASK_"))}
    env["PIXGATE_INSTANCE_PATH"] = str(tmp_path / "instance")
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    with sqlite3.connect(tmp_path / "instance" / "pixgate.db") as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        head = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    assert {"charges", "charge_events", "received_pix", "outbox"} <= tables
    assert len(head) == 1
