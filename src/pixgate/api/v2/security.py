"""Bearer tokens from /oauth/token, checked against the scope each endpoint needs."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import request

from pixgate.charges.errors import ChargeError
from pixgate.extensions import db
from pixgate.oauth import service

F = TypeVar("F", bound=Callable[..., Any])


class NotAuthenticated(ChargeError):
    """No valid bearer token."""

    status = 401
    title = "Unauthorized"


class MissingScope(ChargeError):
    """A valid token without the scope this endpoint needs."""

    status = 403
    title = "Forbidden"


def requires(scope: str) -> Callable[[F], F]:
    """Only a live token holding `scope` reaches the view."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise NotAuthenticated("send Authorization: Bearer <token from /oauth/token>")
            scopes = service.scopes_of(db.session, token=token.strip())
            if scopes is None:
                raise NotAuthenticated("the access token is unknown or expired")
            if scope not in scopes:
                raise MissingScope(f"the access token lacks the scope {scope}")
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
