"""Hot writes on a Core connection: the fewest Python calls between a request and its rows.

A Session's transaction bookkeeping (its connection lookup, its commit with flush and event
dispatch) was about a tenth of a create's CPU. The hottest writes (a create, a payment) run
their prebuilt statements on a plain Core connection in a transaction instead. When the
session already has a transaction open, they join it instead, so they never split one unit
of work in two.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, configure_mappers, scoped_session

from pixgate.extensions import db

T = TypeVar("T")
_CONFIGURED: set[type] = set()
_COLUMN_KEYS: dict[Any, tuple[str, ...]] = {}


def _column_keys(mapper: Any) -> tuple[str, ...]:
    keys = _COLUMN_KEYS.get(mapper)
    if keys is None:
        keys = _COLUMN_KEYS[mapper] = tuple(prop.key for prop in mapper.column_attrs)
    return keys


@contextmanager
def write(session: Session | scoped_session[Session]) -> Iterator[Connection]:
    """A connection in a transaction that commits when the block ends without an error (and
    rolls back when it raises): the session's own if it has a transaction open, else a fresh
    Core one with no Session machinery around it."""
    if isinstance(session, scoped_session):
        if not session.registry.has():  # this request made no Session yet: none is needed
            with db.engine.begin() as connection:
                yield connection
            return
        session = session()
    if session.in_transaction():
        try:
            yield session.connection()
        except BaseException:
            session.rollback()
            raise
        session.commit()
        return
    with session.get_bind().begin() as connection:
        yield connection


def fresh(session: Session | scoped_session[Session], model: type[T],
          row: Mapping[str, Any]) -> T:
    """`row` (just read on the session's connection) as an instance: the one the session
    already holds for it, brought up to date as a reload would, else a detached one. A later
    read in the same session never sees an older state than this."""
    if isinstance(session, scoped_session):
        session = session()
    mapper = inspect(model)
    key = mapper.identity_key_from_primary_key([row[c.key] for c in mapper.primary_key])
    held = session.identity_map.get(key)
    if held is None:
        return loaded(model, row)
    state = inspect(held)
    if state.modified:  # unflushed changes of its own: write them, then read the row back,
        session.flush()  # as the ORM's autoflush before a load would have
        session.refresh(held)
        return held
    state.dict.update(row)  # unmodified: these are its committed values
    return held


def loaded(model: type[T], row: Mapping[str, Any]) -> T:
    """An instance of `model` holding `row` (a column missing from it is NULL), as a session
    that loaded it and then closed would leave it: detached, nothing pending, built without
    attribute events."""
    mapper = inspect(model)
    if model not in _CONFIGURED:  # a first instance made this way must not skip mapper setup
        configure_mappers()
        _CONFIGURED.add(model)
    obj = mapper.class_manager.new_instance()
    state = inspect(obj)
    state.dict.update(dict.fromkeys(_column_keys(mapper)), **row)
    state.key = mapper.identity_key_from_primary_key(
        [row[column.key] for column in mapper.primary_key])
    return obj
