"""Pool hygiene that costs a busy server nothing: ping only connections that sat idle, and
roll back on return only when a transaction may still be open.

SQLAlchemy's `pool_pre_ping` and its ROLLBACK on return each cost a round trip to the database
on every request: 2 of the 5 statements MariaDB counted per create, and CPU on both sides on a
machine that also runs the database. Both guard against real failures, so both are kept where
they can matter. A connection idle for more than a second is pinged before use: a database
restart or `wait_timeout` hits resting connections, while a busy one that dies fails its
statement, which invalidates the whole pool. And a connection goes back with a ROLLBACK unless
SQLAlchemy saw its transaction end and the driver, where it can tell without asking the
server, agrees that none is open.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import PoolResetState

from pixgate.extensions import db

IDLE_BEFORE_PING = 1.0  # seconds a connection may rest before it is pinged on checkout
LAST_USED = "pixgate.last_used"
OPEN = "pixgate.transaction_open"
MYSQL_IN_TRANSACTION = 0x0001  # SERVER_STATUS_IN_TRANS in every OK packet's status flags


def tune(app: Flask) -> None:
    """Install the events on this app's engine (networked databases only)."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        install(db.engine)


def install(engine: Engine) -> None:
    """Ping-if-idle on checkout, bookkeeping of open transactions, and the conditional reset."""
    dialect = engine.dialect

    @event.listens_for(engine, "connect")
    def _fresh(_dbapi_connection: Any, record: Any) -> None:
        record.info[LAST_USED] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _rested(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[LAST_USED] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get(LAST_USED, 0.0) <= IDLE_BEFORE_PING:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                # The pool discards this connection and checks out another (up to 3 tries).
                raise exc.DisconnectionError(str(error)) from error
            raise

    @event.listens_for(engine, "begin")
    def _began(connection: Connection) -> None:
        _mark(connection, is_open=True)

    @event.listens_for(engine, "commit")
    def _committed(connection: Connection) -> None:
        _mark(connection, is_open=False)

    @event.listens_for(engine, "rollback")
    def _rolled_back(connection: Connection) -> None:
        _mark(connection, is_open=False)

    @event.listens_for(engine, "reset")
    def _reset(dbapi_connection: Any, record: Any, state: PoolResetState) -> None:
        if state.terminate_only:
            return  # the connection is being thrown away
        if may_be_open(dbapi_connection, record.info if record is not None else {}):
            dbapi_connection.rollback()
        if record is not None:
            record.info[OPEN] = False


def _mark(connection: Connection, *, is_open: bool) -> None:
    # An invalidated connection (lost mid-transaction) is discarded by the pool: nothing to note.
    if not connection.invalidated:
        connection.info[OPEN] = is_open


def may_be_open(dbapi_connection: Any, info: dict[str, Any]) -> bool:
    """True unless both SQLAlchemy and the driver say no transaction is open; unknown is open."""
    if info.get(OPEN, True):
        return True
    return driver_says_open(dbapi_connection)


def driver_says_open(dbapi_connection: Any) -> bool:
    """The driver's own view, read locally: libpq's transaction status, or MySQL's status flag
    from the last OK packet (result sets don't update it, hence SQLAlchemy's view as well)."""
    pg_info = getattr(dbapi_connection, "info", None)
    status = getattr(pg_info, "transaction_status", None)
    if status is not None:
        return status.name != "IDLE"
    server_status = getattr(dbapi_connection, "server_status", None)
    if isinstance(server_status, int):
        return bool(server_status & MYSQL_IN_TRANSACTION)
    return True
