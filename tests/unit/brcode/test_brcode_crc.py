"""CRC-16/CCITT-FALSE: check values, fast path == table-driven reference."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pixgate.brcode import BRCodeError, crc16
from pixgate.brcode.crc import TABLE, crc16_bytes, crc16_reference


@pytest.mark.parametrize(
    ("data", "expected"),
    [("123456789", "29B1"), ("", "FFFF"), ("A", "B915")],
)
def test_check_values(data: str, expected: str) -> None:
    assert crc16(data) == expected
    assert f"{crc16_reference(data.encode()):04X}" == expected


def test_golden_crc(golden: str) -> None:
    assert crc16(golden[:-4]) == "1D3D"


def test_utf8_bytes_not_code_points() -> None:
    # "Í" is one character but two UTF-8 bytes; the CRC covers the bytes.
    assert crc16("Í") == f"{crc16_reference('Í'.encode()):04X}"
    assert crc16("Í") != crc16("I")


def test_table_shape() -> None:
    assert len(TABLE) == 256
    assert TABLE[1] == 0x1021


def test_output_is_upper_hex_4() -> None:
    value = crc16("abc")
    assert len(value) == 4
    assert value == value.upper()
    int(value, 16)


@given(st.binary(max_size=600))
@settings(max_examples=300, deadline=None)
def test_fast_path_matches_reference(data: bytes) -> None:
    assert crc16_bytes(data) == crc16_reference(data)


@pytest.mark.parametrize("bad", [None, b"abc", 123, ["a"], 1.5])
def test_non_str_raises_brcode_error(bad: object) -> None:
    with pytest.raises(BRCodeError):
        crc16(bad)  # type: ignore[arg-type]


def test_lone_surrogate_raises_brcode_error() -> None:
    with pytest.raises(BRCodeError) as info:
        crc16("abc\ud800")
    assert info.value.violations[0].rule == "encoding"
