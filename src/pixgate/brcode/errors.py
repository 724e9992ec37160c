"""Error types: every failure of this package is a BRCodeError carrying its violations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

# Rules a lenient decode may relax (real-world deviations); every other rule always blocks.
RELAXABLE_RULES = frozenset(
    {
        "amount_format",  # 54 is numeric but not canonical: "10", "10.", "0.9", "010.00"
        "amount_zero",  # 54 is "0.00"
        "non_ascii",  # 59/60/26-02 hold printable non-ASCII text ("BRASÍLIA")
        "postal_code_format",  # 61 is printable ASCII but not 8 digits
        "missing_txid",  # no 62 template or no 62-05 in it
        "txid_charset",  # 62-05 holds ASCII punctuation ("RP12345678-2019")
        "key_format",  # 26-01 is not a canonical Pix key ("Foo@Bar.com", "123.456.789-09")
        "key_check_digits",  # 26-01 CPF/CNPJ with wrong check digits (lenient: also a warning)
        "order",  # 00 is not the first data object
    }
)

STRUCTURAL_RULES = frozenset(
    {
        "type",
        "empty",
        "oversize",
        "encoding",
        "tlv_header",
        "tlv_truncated",
        "tlv_duplicate",
        "crc_missing",
        "crc_format",
        "crc_case",
        "crc_mismatch",
    }
)


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule, so callers can report every problem of a code at once."""

    field: str
    rule: str
    value: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class BRCodeError(ValueError):
    """Raised for any invalid input; `violations` lists every rule that was broken."""

    def __init__(
        self,
        field: str,
        reason: str,
        value: str | None = None,
        violations: list[Violation] | None = None,
        *,
        rule: str = "invalid",
        param: str | None = None,
    ) -> None:
        self.field = field
        self.reason = reason
        self.value = value
        self.rule = rule
        self.param = param
        self.violations = (
            list(violations) if violations else [Violation(field, rule, value, reason)]
        )
        if len(self.violations) > 1:
            text = "; ".join(str(v) for v in self.violations)
            super().__init__(f"{len(self.violations)} problems: {text}")
        else:
            super().__init__(f"{field}: {reason}")

    def __reduce__(self) -> tuple[object, ...]:
        """Picklable (e.g. across worker processes) despite the keyword-only arguments."""
        return (
            _rebuild,
            (
                type(self),
                self.field,
                self.reason,
                self.value,
                self.violations,
                self.rule,
                self.param,
            ),
        )

    @property
    def rules(self) -> set[str]:
        """The rule names broken, for quick membership checks."""
        return {v.rule for v in self.violations}


def _rebuild(
    cls: type[BRCodeError],
    field: str,
    reason: str,
    value: str | None,
    violations: list[Violation],
    rule: str,
    param: str | None,
) -> BRCodeError:
    return cls(field, reason, value, violations, rule=rule, param=param)


class TLVError(BRCodeError):
    """The string is not a well-formed ID/length/value sequence."""


class CRCError(BRCodeError):
    """The trailing 6304 CRC field is missing, malformed or wrong."""


class KeyFormatError(BRCodeError):
    """A Pix key (CPF, CNPJ, e-mail, phone, EVP) is malformed."""


class ValidationError(BRCodeError):
    """The structure is fine but a BR Code / Pix rule is broken."""


class NotPixError(ValidationError):
    """The code is a valid EMV code but carries no br.gov.bcb.pix template."""


def error_from(violations: list[Violation]) -> BRCodeError:
    """Build the most specific error for a list of violations (the first one names it)."""
    first = violations[0]
    rule = first.rule
    if rule.startswith("crc_"):
        cls: type[BRCodeError] = CRCError
    elif rule.startswith("tlv_"):
        cls = TLVError
    elif rule == "not_pix":
        cls = NotPixError
    else:
        cls = ValidationError
    return cls(first.field, first.message, first.value, violations, rule=rule)


def fail(
    field: str, rule: str, message: str, value: object = None, param: str | None = None
) -> NoReturn:
    """Raise a single-violation ValidationError (used by the encoders)."""
    raise ValidationError(field, message, _shown(value), rule=rule, param=param)


def _shown(value: object) -> str | None:
    """A short printable rendering of an offending value (never raises)."""
    if value is None:
        return None
    try:
        shown = value if isinstance(value, str) else repr(value)
    except Exception:  # e.g. int too large to print, broken __repr__
        return f"<{type(value).__name__}>"
    return shown if len(shown) <= 120 else shown[:117] + "..."
