"""JSON out with exact decimals: 12345.67 leaves as the number 12345.67, never a rounded float."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import simplejson
from flask.json.provider import DefaultJSONProvider


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):  # only reached for NaN/Infinity, which we never emit
        return str(value)
    return DefaultJSONProvider.default(value)


class ExactJSONProvider(DefaultJSONProvider):
    """Flask's provider with simplejson's exact Decimal numbers and ISO-8601 dates."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.pop("default", None)
        kwargs.setdefault("ensure_ascii", self.ensure_ascii)
        kwargs.setdefault("sort_keys", self.sort_keys)
        return simplejson.dumps(obj, use_decimal=True, default=_default, **kwargs)
