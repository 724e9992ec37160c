"""Pool hygiene on the networked databases: no round trip wasted, no transaction left open,
no dead connection handed out after a rest."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    Table,
    create_engine,
    func,
    insert,
    select,
    text,
)

from pixgate.db import pool

NETWORKED = ["mariadb", "postgres"]


@dataclass
class Pooled:
    """An engine with one pooled connection and pixgate's pool events, and a scratch table."""

    engine: Engine
    backend: str
    url: str
    table: Table

    def count(self, conn: Connection) -> int:
        return conn.execute(select(func.count()).select_from(self.table)).scalar_one()

    def backend_id(self, conn: Connection) -> int:
        query = "SELECT CONNECTION_ID()" if self.backend == "mariadb" else "SELECT pg_backend_pid()"
        return conn.execute(text(query)).scalar_one()


@pytest.fixture(params=NETWORKED)
def pooled(request: pytest.FixtureRequest, database_urls: dict[str, Any]) -> Iterator[Pooled]:
    url = database_urls["get"](request.param)
    engine = create_engine(url, pool_size=1, max_overflow=0, pool_pre_ping=False,
                           pool_reset_on_return=None)
    pool.install(engine)
    table = Table(f"pool_{secrets.token_hex(4)}", MetaData(), Column("n", Integer))
    with engine.begin() as conn:
        table.create(conn)
    yield Pooled(engine, request.param, url, table)
    engine.dispose()
    cleanup = create_engine(url)
    with cleanup.begin() as conn:
        table.drop(conn)
    cleanup.dispose()


def test_a_committed_connection_is_known_to_be_clean(pooled: Pooled) -> None:
    with pooled.engine.connect() as conn:
        conn.execute(insert(pooled.table).values(n=1))
        conn.commit()
        dbapi_connection = conn.connection.dbapi_connection
        assert pool.driver_says_open(dbapi_connection) is False
        assert pool.may_be_open(dbapi_connection, conn.info) is False
    with pooled.engine.connect() as conn:
        assert pooled.count(conn) == 1


def test_an_open_transaction_is_seen_by_the_driver_or_the_bookkeeping(pooled: Pooled) -> None:
    with pooled.engine.connect() as conn:
        pooled.count(conn)
        assert pool.may_be_open(conn.connection.dbapi_connection, conn.info) is True
        conn.rollback()
        assert pool.may_be_open(conn.connection.dbapi_connection, conn.info) is False


def test_writes_made_behind_sqlalchemys_back_are_rolled_back_on_return(pooled: Pooled) -> None:
    engine = pooled.engine
    with engine.connect() as conn:  # leaves the bookkeeping saying "clean"
        conn.execute(text("SELECT 1"))
        conn.commit()
    raw = engine.raw_connection()
    cursor = raw.cursor()
    stray = insert(pooled.table).values(n=7)
    cursor.execute(str(stray.compile(engine, compile_kwargs={"literal_binds": True})))
    cursor.close()
    raw.close()  # back to the pool without COMMIT or ROLLBACK
    with engine.connect() as conn:  # the same, only, pooled connection
        conn.execute(insert(pooled.table).values(n=8))
        conn.commit()  # must not commit the stray 7 along with it
    with engine.connect() as conn:
        values = conn.execute(select(pooled.table.c.n)).scalars().all()
    assert values == [8]


def test_a_connection_killed_while_resting_is_replaced_on_checkout(pooled: Pooled) -> None:
    with pooled.engine.connect() as conn:
        victim = pooled.backend_id(conn)
        conn.commit()
    admin = create_engine(pooled.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        kill = f"KILL {victim}" if pooled.backend == "mariadb" else \
            f"SELECT pg_terminate_backend({victim})"
        conn.execute(text(kill))
    admin.dispose()
    time.sleep(pool.IDLE_BEFORE_PING + 0.2)
    with pooled.engine.connect() as conn:
        assert pooled.backend_id(conn) != victim
        assert conn.execute(text("SELECT 1")).scalar_one() == 1
