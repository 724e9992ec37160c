"""Insert one new mapped object with a prebuilt statement, skipping the unit-of-work pass.

A flush of one new object costs more CPU than everything else in a create (the profile in
docs/benchmarks.md): sorting the unit of work, collecting parameters, looking the statement up
in the compiled cache by a freshly computed key. `insert_new` writes the same row with a Core
INSERT built once per table, and then hands the object to the session as persistent and fully
loaded, exactly as a flush followed by reading the row back would leave it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Insert, Table, inspect
from sqlalchemy.orm import Session, make_transient_to_detached

_INSERTS: dict[Table, Insert] = {}


def insert_new(session: Session, obj: Any) -> None:
    """INSERT `obj` (a new object, not yet added) in the session's transaction, then attach it.

    Column defaults are applied here as the ORM would (scalars and Python callables; anything
    else is refused); None is sent only where the ORM sends it (an explicit None to a JSON
    column, which stores JSON null); the database assigns the autoincrement key."""
    mapper = inspect(type(obj))
    table = mapper.local_table
    state = inspect(obj)
    if not state.transient:
        raise ValueError("insert_new takes a new object that is in no session yet")
    values: dict[str, Any] = {}
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        explicit = prop.key in state.dict
        value = state.dict.get(prop.key)
        if not explicit and column.default is not None:
            default = column.default
            if default.is_scalar:
                value = default.arg
            elif default.is_callable:
                value = default.arg(None)  # type: ignore[operator]
            else:
                raise ValueError(f"{table.name}.{column.name}: only Python defaults are supported")
        state.dict[prop.key] = value
        if value is not None or (explicit and column.type.should_evaluate_none):
            values[column.key] = value
    session.flush()  # rows this one may refer to go first
    statement = _INSERTS.get(table)
    if statement is None:
        statement = _INSERTS[table] = table.insert()
    result = session.connection().execute(statement, values)
    for column, key in zip(mapper.primary_key, result.inserted_primary_key or (), strict=False):
        if key is not None:
            state.dict[mapper.get_property_by_column(column).key] = key
    make_transient_to_detached(obj)  # history reset: the values are now the row's
    session.add(obj)
