"""Identifiers: the Pix layouts, and every alphanumeric character equally likely."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime

import pytest

from pixgate.charges.ids import (
    ALPHANUMERIC,
    new_end_to_end_id,
    new_return_id,
    new_txid,
    random_alphanumeric,
)


@pytest.mark.parametrize("length", [1, 11, 25, 26, 35])
def test_txids_have_the_asked_length_and_charset(length: int) -> None:
    for _ in range(200):
        assert re.fullmatch(rf"[A-Za-z0-9]{{{length}}}", new_txid(length))


def test_txids_do_not_repeat() -> None:
    assert len({new_txid() for _ in range(5000)}) == 5000


def test_characters_are_uniform() -> None:
    # Chi-squared over 62 symbols (61 degrees of freedom): the 99.99th percentile is ~113.
    # A modulo bias (bytes 248..255 folded onto the first 8 symbols) scores in the thousands.
    counts = Counter("".join(random_alphanumeric(100) for _ in range(4000)))
    expected = 400_000 / len(ALPHANUMERIC)
    chi2 = sum((counts[c] - expected) ** 2 / expected for c in ALPHANUMERIC)
    assert set(counts) <= set(ALPHANUMERIC)
    assert chi2 < 130


def test_end_to_end_and_return_ids_follow_the_spi_layout() -> None:
    when = datetime(2026, 11, 26, 13, 45, tzinfo=UTC)
    assert re.fullmatch(r"E00000000202611261345[A-Za-z0-9]{11}", new_end_to_end_id(when))
    assert re.fullmatch(r"D12345678202611261345[A-Za-z0-9]{11}", new_return_id(when, "12345678"))
