"""Pix keys (chaves): detection, validation and canonical form of the five key kinds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import mul
from typing import Literal

from .errors import KeyFormatError

KeyKind = Literal["cpf", "cnpj", "email", "phone", "evp"]

# ANATEL area codes (DDD) in service, by tens digit; Pix phone keys are Brazilian mobiles.
_DDD_UNITS = {
    "1": "123456789",
    "2": "12478",
    "3": "1234578",
    "4": "123456789",
    "5": "1345",
    "6": "123456789",
    "7": "134579",
    "8": "123456789",
    "9": "123456789",
}
VALID_DDD = frozenset(tens + unit for tens, units in _DDD_UNITS.items() for unit in units)
MAX_KEY_INPUT = 200  # longer raw input is rejected before any regex runs

# Canonical shapes, as they must appear inside a BR Code (26-01).
CANON_CPF = re.compile(r"[0-9]{11}")
CANON_CNPJ = re.compile(r"[0-9A-Z]{12}[0-9]{2}")
CANON_PHONE = re.compile(r"\+[1-9][0-9]{7,14}")
CANON_EVP = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
EMAIL = re.compile(
    r"(?P<local>[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})"
)

# Accepted input masks.
CPF_MASK = re.compile(r"[0-9]{3}\.[0-9]{3}\.[0-9]{3}-[0-9]{2}")
CNPJ_MASK = re.compile(r"[0-9A-Z]{2}\.[0-9A-Z]{3}\.[0-9A-Z]{3}/[0-9A-Z]{4}-[0-9]{2}")
EVP_ANY_CASE = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
PHONE_INTL = re.compile(r"\+[0-9 ()\-.]+")
PHONE_NATIONAL = re.compile(r"\(?[0-9]{2}\)?[ ]?9?[0-9]{4}[ -]?[0-9]{4}")
PHONE_SEPARATORS = str.maketrans("", "", " ()-.")


@dataclass(frozen=True, slots=True)
class PixKey:
    """A validated key in the canonical form written to 26-01."""

    kind: KeyKind
    value: str


def _bad(reason: str, raw: object) -> KeyFormatError:
    shown = raw if isinstance(raw, str) and len(raw) <= 120 else None
    return KeyFormatError("pix_key", reason, shown, rule="key_format", param="key")


_CPF_W1 = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_CPF_W2 = (11, *_CPF_W1)
_CNPJ_W1 = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_CNPJ_W2 = (6, *_CNPJ_W1)


def cpf_check_ok(digits: str) -> bool:
    """Modulo-11 check digits of an 11-digit CPF; all-equal digits are never issued."""
    if CANON_CPF.fullmatch(digits) is None or digits == digits[0] * 11:
        return False
    nums = [ord(c) - 48 for c in digits]
    first = sum(map(mul, nums, _CPF_W1)) * 10 % 11 % 10
    second = sum(map(mul, nums, _CPF_W2)) * 10 % 11 % 10
    return first == nums[9] and second == nums[10]


def _cnpj_digit(nums: list[int], weights: tuple[int, ...]) -> int:
    rest = sum(map(mul, nums, weights)) % 11
    return 0 if rest < 2 else 11 - rest


def cnpj_check_ok(value: str) -> bool:
    """CNPJ check digits, alphanumeric-aware (RFB IN 2229/2024: each char counts ord(c) - 48)."""
    if CANON_CNPJ.fullmatch(value) is None or value == value[0] * 14:
        return False
    nums = [ord(c) - 48 for c in value]
    return _cnpj_digit(nums, _CNPJ_W1) == nums[12] and _cnpj_digit(nums, _CNPJ_W2) == nums[13]


def phone_problem(value: str) -> str | None:
    """Why a canonical-looking phone key is not a Brazilian mobile number (None if it is)."""
    if not value.startswith("+55"):
        return "Pix phone keys are Brazilian numbers: they start with +55"
    national = value[3:]
    if len(national) != 11 or not national.isdigit():
        return "a Pix phone key is +55, a 2-digit DDD and a 9-digit mobile number"
    if national[:2] not in VALID_DDD:
        return f"DDD {national[:2]} is not a Brazilian area code"
    if national[2] != "9":
        return "a Pix phone key is a mobile number: 9 digits starting with 9"
    return None


def email_problem(value: str) -> str | None:
    """Why a lower-case e-mail key is unacceptable (None if it is fine)."""
    if len(value) > 77:
        return f"an e-mail key has at most 77 characters (got {len(value)})"
    match = EMAIL.fullmatch(value)
    if match is None:
        return "not a valid e-mail address"
    if len(match["local"]) > 64:
        return "the part before @ has at most 64 characters"
    return None


def detect_kind(value: str) -> KeyKind | None:
    """Kind of a key already in canonical form (shape only, check digits not verified)."""
    if not isinstance(value, str) or len(value) > 77:
        return None
    if CANON_EVP.fullmatch(value):
        return "evp"
    if "@" in value:
        return "email" if EMAIL.fullmatch(value) else None
    if value.startswith("+"):
        return "phone" if CANON_PHONE.fullmatch(value) else None
    if CANON_CPF.fullmatch(value):
        return "cpf"
    if CANON_CNPJ.fullmatch(value):
        return "cnpj"
    return None


def _phone(digits: str, raw: str) -> PixKey:
    problem = phone_problem(digits)
    if problem:
        raise _bad(problem, raw)
    return PixKey("phone", digits)


def normalize_key(raw: str) -> PixKey:
    """Turn what a person types (masks, upper case) into the one form DICT and BR Codes use."""
    if not isinstance(raw, str):
        raise _bad(f"a Pix key is text, got {type(raw).__name__}", None)
    if len(raw) > MAX_KEY_INPUT:
        raise _bad(f"too long to be a Pix key ({len(raw)} characters)", raw)
    text = raw.strip()
    if not text:
        raise _bad("the Pix key is empty", raw)
    if not text.isascii() or not text.isprintable():
        raise _bad("a Pix key contains only printable ASCII characters", raw)
    if "@" in text:
        email = text.lower()
        problem = email_problem(email)
        if problem:
            raise _bad(problem, raw)
        return PixKey("email", email)
    if EVP_ANY_CASE.fullmatch(text):
        return PixKey("evp", text.lower())
    if text.startswith("+"):
        if not PHONE_INTL.fullmatch(text):
            raise _bad("a phone key holds digits after +55 (separators allowed)", raw)
        return _phone("+" + text[1:].translate(PHONE_SEPARATORS), raw)
    upper = text.upper()
    if CPF_MASK.fullmatch(text) or (len(text) == 11 and text.isdigit()):
        digits = text.replace(".", "").replace("-", "")
        if cpf_check_ok(digits):
            return PixKey("cpf", digits)
        if CPF_MASK.fullmatch(text):
            raise _bad("invalid CPF: check digits do not match", raw)
        raise _bad(
            "11 digits that are not a valid CPF; if this is a mobile number, "
            "write it as +55DDD9XXXXXXXX or (DD) 9XXXX-XXXX",
            raw,
        )
    if CNPJ_MASK.fullmatch(upper) or CANON_CNPJ.fullmatch(upper):
        cnpj = upper.replace(".", "").replace("/", "").replace("-", "")
        if cnpj_check_ok(cnpj):
            return PixKey("cnpj", cnpj)
        raise _bad("invalid CNPJ: check digits do not match", raw)
    if ("(" in text or "-" in text) and PHONE_NATIONAL.fullmatch(text):
        return _phone("+55" + text.translate(PHONE_SEPARATORS), raw)
    raise _bad(
        "not a Pix key: expected a CPF, CNPJ, e-mail, +55 mobile number or random key (EVP)",
        raw,
    )
