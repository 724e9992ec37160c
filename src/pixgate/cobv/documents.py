"""CPF and CNPJ check digits (CNPJ may be alphanumeric from 2026: each character counts as
its ASCII code minus 48, as the Receita Federal defines it)."""

from __future__ import annotations

import re

CPF = re.compile(r"\d{11}")
CNPJ = re.compile(r"[0-9A-Z]{12}\d{2}")


def _digit(values: list[int], weights: list[int]) -> int:
    rest = sum(v * w for v, w in zip(values, weights, strict=True)) % 11
    return 0 if rest < 2 else 11 - rest


def valid_cpf(value: str) -> bool:
    """Eleven digits, not all equal, with both check digits right."""
    if not CPF.fullmatch(value) or len(set(value)) == 1:
        return False
    digits = [int(c) for c in value]
    first = _digit(digits[:9], list(range(10, 1, -1)))
    second = _digit(digits[:10], list(range(11, 1, -1)))
    return digits[9:] == [first, second]


def valid_cnpj(value: str) -> bool:
    """Fourteen characters (twelve of [0-9A-Z], two digits) with both check digits right."""
    if not CNPJ.fullmatch(value) or len(set(value)) == 1:
        return False
    values = [ord(c) - 48 for c in value]
    weights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    first = _digit(values[:12], weights)
    second = _digit(values[:13], [6, *weights])
    return values[12:] == [first, second]
