"""Domain errors: each carries the HTTP status an edge should answer with and a readable detail."""

from __future__ import annotations


class ChargeError(Exception):
    """Base of every rule the charge service enforces."""

    status = 400
    title = "Bad request"
    code = "bad_request"

    def __init__(
        self, detail: str, *, field: str | None = None,
        violations: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.violations = violations or ([(field, detail)] if field else [])


class InvalidInput(ChargeError):
    """A value a client sent breaks a rule: nothing was changed."""

    status = 422
    title = "Invalid input"
    code = "invalid_input"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}", field=field, violations=[(field, reason)])
        self.reason = reason

    @classmethod
    def many(cls, violations: list[tuple[str, str]]) -> InvalidInput:
        """One error naming every invalid property at once (BCB's `violacoes`)."""
        error = cls(*violations[0])
        error.violations = list(violations)
        error.detail = "; ".join(f"{field}: {reason}" for field, reason in violations)
        return error


class NotFound(ChargeError):
    """The charge (or payment) asked for does not exist."""

    status = 404
    title = "Not found"
    code = "not_found"


class Conflict(ChargeError):
    """The request is valid but the charge's state forbids it (paid, expired, removed)."""

    status = 409
    title = "Conflict"
    code = "conflict"


class PixOnRecord(Conflict):
    """This endToEndId is already stored against another charge (or as unmatched): one Pix is
    credited once, so the arrival is a repeat of that record, never a second payment."""

    def __init__(self, pix: object) -> None:
        super().__init__("this endToEndId is already on record for another charge",
                         field="endToEndId")
        self.pix = pix
