"""Hot writes on a Core connection: the fewest Python calls between a request and its rows.

A Session's transaction bookkeeping (its connection lookup, its commit with flush and event
dispatch) was about a tenth of a create's CPU. The hottest writes (a create, a payment) run
their prebuilt statements on a plain Core connection in a transaction instead. When the
session already has a transaction open, they join it instead, so they never split one unit
of work in two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, TypeVar

from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, configure_mappers, scoped_session

from pixgate.extensions import db

T = TypeVar("T")
_CONFIGURED: set[type] = set()
_COLUMN_KEYS: dict[Any, tuple[str, ...]] = {}
_AFTER_COMMIT = "pixgate.core.after_commit"
# Where a transition writes: a session, or the connection of a `write` block.
Writer = Session | scoped_session[Session] | Connection


def _column_keys(mapper: Any) -> tuple[str, ...]:
    keys = _COLUMN_KEYS.get(mapper)
    if keys is None:
        keys = _COLUMN_KEYS[mapper] = tuple(prop.key for prop in mapper.column_attrs)
    return keys


@contextmanager
def write(session: Session | scoped_session[Session]) -> Iterator[Connection]:
    """A connection in a transaction that commits when the block ends without an error (and
    rolls back when it raises): the session's own if it has a transaction open, else a fresh
    Core one with no Session machinery around it. What `after_commit` registered in the
    block runs once the commit is done, and never after a rollback."""
    if isinstance(session, scoped_session):
        if not session.registry.has():  # this request made no Session yet: none is needed
            with _hooked(db.engine.begin()) as (connection, done):
                yield connection
            _run(done)
            return
        session = session()
    if session.in_transaction():
        session.flush()  # the Core statements see what the unit of work holds
        try:
            with _hooked(nullcontext(session.connection())) as (connection, done):
                yield connection
        except BaseException:
            session.rollback()
            raise
        session.commit()
        _run(done)
        return
    with _hooked(session.get_bind().begin()) as (connection, done):
        yield connection
    _run(done)


def after_commit(connection: Connection, callback: Callable[[], None]) -> None:
    """Run `callback` when the `write` block using `connection` has committed."""
    hooks = connection.info.get(_AFTER_COMMIT)
    if hooks is None:  # connection.info outlives the checkout: only a write block may hold it
        raise RuntimeError("after_commit is only for a connection from core.write")
    hooks.append(callback)


@contextmanager
def _hooked(
    opened: AbstractContextManager[Connection],
) -> Iterator[tuple[Connection, list[Callable[[], None]]]]:
    # The callbacks live in connection.info (what statements can reach) only for the block,
    # and leave it whether the block commits or not. Reentry would hand out the outer list.
    done: list[Callable[[], None]] = []
    with opened as connection:
        info = connection.info  # still reachable if the block's rollback closes the connection
        if _AFTER_COMMIT in info:
            raise RuntimeError("core.write blocks do not nest")
        info[_AFTER_COMMIT] = hooks = []
        try:
            yield connection, done
        finally:
            info.pop(_AFTER_COMMIT, None)
        done.extend(hooks)  # reached only when the block raised nothing: commit comes next


def _run(callbacks: list[Callable[[], None]]) -> None:
    for callback in callbacks:
        callback()


def fresh(session: Session | scoped_session[Session], model: type[T],
          row: Mapping[str, Any]) -> T:
    """`row` (just read on the session's connection, with some or all columns) as an instance:
    the one the session already holds for it, brought up to date as a reload would, else a
    detached one. A later read in the same session never sees an older state than this; a
    column the row lacks is not loaded (a held instance reloads it when read)."""
    if isinstance(session, scoped_session):
        if not session.registry.has():  # no Session, so nothing held: none is made for this
            return loaded(model, row, complete=False)
        session = session()
    mapper = inspect(model)
    key = mapper.identity_key_from_primary_key([row[c.key] for c in mapper.primary_key])
    held = session.identity_map.get(key)
    if held is None:
        return loaded(model, row, complete=False)
    state = inspect(held)
    if state.modified:  # unflushed changes of its own: write them, then read the row back,
        session.flush()  # as the ORM's autoflush before a load would have
        session.refresh(held)
        return held
    absent = [name for name in _column_keys(mapper) if name not in row]
    if absent:  # older than the row now: read again when used
        session.expire(held, absent)
    state.dict.update(row)  # unmodified: these are its committed values
    return held


def loaded(model: type[T], row: Mapping[str, Any], *, complete: bool = True) -> T:
    """An instance of `model` holding `row`, as a session that loaded it and then closed would
    leave it: detached, nothing pending, built without attribute events. With `complete`, a
    column missing from `row` is NULL (the row is all of it, NULLs left out); without, it is
    not loaded, and reading it raises DetachedInstanceError instead of reading as None."""
    mapper = inspect(model)
    if model not in _CONFIGURED:  # a first instance made this way must not skip mapper setup
        configure_mappers()
        _CONFIGURED.add(model)
    obj = mapper.class_manager.new_instance()
    state = inspect(obj)
    if complete:
        state.dict.update(dict.fromkeys(_column_keys(mapper)), **row)
    else:
        state.dict.update(row)
        state.expired_attributes.update(k for k in _column_keys(mapper) if k not in row)
    state.key = mapper.identity_key_from_primary_key(
        [row[column.key] for column in mapper.primary_key])
    return obj


def connection_for(target: Writer) -> Connection:
    """Where a prebuilt statement runs: a `write` block's connection as given, else the
    session's, after flushing what its unit of work holds (the rows the statement is about)."""
    if isinstance(target, Connection):
        return target
    target.flush()
    return target.connection()
