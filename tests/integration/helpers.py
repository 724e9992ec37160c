"""Helpers for integration tests: signed requests, creation, counting rows."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from pixgate.extensions import db
from tests.factories import json_bytes, random_amount, signed_headers


def create_payment(client: FlaskClient, value: Any = None, **headers: str) -> dict:
    """Create through the legacy API and return the payment object."""
    response = client.post(
        "/payments/pix", json={"value": str(value or random_amount())}, headers=headers
    )
    assert response.status_code == 200, response.get_json()
    payment = json.loads(response.data, parse_float=Decimal)["payment"]
    payment["value"] = str(payment["value"])  # BCB-style string amounts, exact
    return payment


def signed_post(client: FlaskClient, path: str, body: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
    """POST `body` as JSON with a valid X-Pixgate-Signature."""
    raw = json_bytes(body)
    return client.post(path, data=raw, headers=signed_headers(raw, **kwargs))


def confirm(client: FlaskClient, payment: dict, value: Any = None):  # type: ignore[no-untyped-def]
    """A signed legacy confirmation of `payment` (its own amount unless `value` is given)."""
    body = {"bank_payment_id": payment["bank_payment_id"], "value": value or payment["value"]}
    return signed_post(client, "/payments/pix/confirmation", body)


def count(model: type, *where: Any) -> int:
    """Rows of `model` matching `where`."""
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


class StatementCounter:
    """Every statement the app's engine sends while active (SQLAlchemy's cursor event)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements.append(statement)

    def __enter__(self) -> StatementCounter:
        from sqlalchemy import event

        event.listen(db.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc: Any) -> None:
        from sqlalchemy import event

        event.remove(db.engine, "before_cursor_execute", self._seen)

    def count(self, prefix: str = "") -> int:
        """Statements starting with `prefix` (e.g. "SELECT"), all of them by default."""
        return sum(s.lstrip().upper().startswith(prefix) for s in self.statements)
