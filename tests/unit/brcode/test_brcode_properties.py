"""Property tests: round trips, only BRCodeError escapes, single-character errors are caught."""

from __future__ import annotations

import contextlib
import string
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pixgate.brcode import (
    BRCodeError,
    crc16,
    decode,
    encode_dynamic,
    encode_static,
    normalize_key,
    qr_svg,
    validate,
)
from pixgate.brcode.keys import VALID_DDD
from pixgate.brcode.text import fold_ascii

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DIGITS = "0123456789"
ALNUM_UPPER = DIGITS + string.ascii_uppercase


def _cpf(base: str) -> str:
    nums = [int(c) for c in base]
    for size in (9, 10):
        total = sum(nums[i] * (size + 1 - i) for i in range(size))
        nums.append(total * 10 % 11 % 10)
    return "".join(map(str, nums))


def _cnpj(base: str) -> str:
    weights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    values = [ord(c) - 48 for c in base]
    for w in (weights, [6, *weights]):
        rest = sum(v * k for v, k in zip(values, w, strict=False)) % 11
        values.append(0 if rest < 2 else 11 - rest)
    return base + "".join(str(v) for v in values[12:])


cpfs = st.text(DIGITS, min_size=9, max_size=9).filter(lambda s: len(set(s)) > 1).map(_cpf)
cnpjs_numeric = st.text(DIGITS, min_size=12, max_size=12).filter(lambda s: len(set(s)) > 1)
cnpjs_alnum = st.text(ALNUM_UPPER, min_size=12, max_size=12).filter(lambda s: len(set(s)) > 1)
cnpjs = st.one_of(cnpjs_numeric, cnpjs_alnum).map(_cnpj)
local = st.text(string.ascii_lowercase + DIGITS + "_+", min_size=1, max_size=20)
label = st.text(string.ascii_lowercase + DIGITS, min_size=1, max_size=12)
emails = st.builds(lambda u, d, t: f"{u}@{d}.{t}", local, label, st.sampled_from(["com", "br"]))
emails = st.one_of(emails, emails.map(str.upper))
phones = st.builds(
    lambda ddd, rest: f"+55{ddd}9{rest}",
    st.sampled_from(sorted(VALID_DDD)),
    st.text(DIGITS, min_size=8, max_size=8),
)
evps = st.uuids().map(str)
evps = st.one_of(evps, evps.map(str.upper))
keys = st.one_of(cpfs, cnpjs, emails, phones, evps)

LETTERS = string.ascii_letters + DIGITS + " .-&'" + "áàâãéêíóôõúçÁÀÂÃÉÊÍÓÔÕÚÇñÑü"


def _words(max_size: int) -> st.SearchStrategy[str]:
    return st.text(LETTERS, min_size=1, max_size=max_size).filter(lambda s: s.strip() != "")


amounts = st.one_of(
    st.none(),
    st.integers(min_value=1, max_value=999_999_999_999).map(lambda c: Decimal(c).scaleb(-2)),
)
txids = st.one_of(st.just("***"), st.text(string.ascii_letters + DIGITS, min_size=1, max_size=25))
ceps = st.one_of(st.none(), st.text(DIGITS, min_size=8, max_size=8))
flags = st.sampled_from([None, True, False])


@given(
    key=keys,
    name=_words(25),
    city=_words(15),
    amount=amounts,
    txid=txids,
    cep=ceps,
    reusable=flags,
    data=st.data(),
)
@SETTINGS
def test_static_round_trip(
    key: str,
    name: str,
    city: str,
    amount: Decimal | None,
    txid: str,
    cep: str | None,
    reusable: bool | None,
    data: Any,
) -> None:
    canonical = normalize_key(key)
    room = 73 - len(canonical.value)
    info = data.draw(st.one_of(st.none(), _words(room)) if room > 0 else st.none())
    code = encode_static(
        key=key,
        name=name,
        city=city,
        amount=amount,
        txid=txid,
        info=info,
        postal_code=cep,
        reusable=reusable,
    )
    b = decode(code)
    assert (b.pix_key, b.key_type) == (canonical.value, canonical.kind)
    assert b.merchant_name == fold_ascii(name).strip()
    assert b.merchant_city == fold_ascii(city).strip()
    assert b.amount == amount
    assert b.txid == txid
    assert b.postal_code == cep
    assert b.info_adicional == (fold_ascii(info).strip() if info else None)
    assert b.point_of_initiation_method == {None: None, True: "11", False: "12"}[reusable]
    assert b.is_static and b.relaxed == () and b.warnings == ()
    assert code == encode_static(
        key=b.pix_key,
        name=b.merchant_name,
        city=b.merchant_city,
        amount=b.amount,
        txid=b.txid,
        info=b.info_adicional,
        postal_code=b.postal_code,
        reusable=reusable,
    )


hosts = st.builds(lambda a, b: f"{a}.{b}", label, st.sampled_from(["com", "com.br", "io"]))
paths = st.text(string.ascii_letters + DIGITS + "/-_.~", min_size=1, max_size=40)


@given(
    host=hosts, path=paths, name=_words(25), city=_words(15), amount=amounts, reusable=st.booleans()
)
@SETTINGS
def test_dynamic_round_trip(
    host: str, path: str, name: str, city: str, amount: Decimal | None, reusable: bool
) -> None:
    url = f"{host}/{path}"
    code = encode_dynamic(url=url, name=name, city=city, amount=amount, reusable=reusable)
    b = decode(code)
    assert (b.url, b.pix_key, b.txid, b.amount) == (url, None, "***", amount)
    assert b.is_dynamic and not b.is_static


anything = st.one_of(
    st.text(),
    st.text(st.characters(codec=None, exclude_categories=())),  # includes lone surrogates
    st.text("0123456789ABCDEF*. ", max_size=300),
    st.binary(),
    st.none(),
    st.integers(),
    st.lists(st.text(), max_size=3),
)


@given(value=anything, lenient=st.booleans(), lower=st.booleans())
@SETTINGS
def test_arbitrary_input_raises_only_brcode_error(value: Any, lenient: bool, lower: bool) -> None:
    try:
        decode(value, lenient=lenient, allow_lowercase_crc=lower)
    except BRCodeError as exc:
        assert exc.violations
    assert isinstance(validate(value, lenient=lenient), list)


weird = st.one_of(
    anything,
    st.decimals(allow_nan=True, allow_infinity=True),
    st.floats(),
    st.booleans(),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=2000),
)


@given(
    key=st.one_of(keys, weird),
    name=st.one_of(_words(25), weird),
    city=st.one_of(_words(15), weird),
    amount=st.one_of(amounts, weird),
    txid=st.one_of(txids, weird),
    info=st.one_of(st.none(), weird),
    cep=st.one_of(ceps, weird),
    reusable=st.one_of(flags, weird),
    truncate=st.one_of(st.booleans(), weird),
    url=st.one_of(st.just("pix.example.com/x"), weird),
)
@SETTINGS
def test_encoders_raise_only_brcode_error(**kw: Any) -> None:
    static_kw = {k: kw[k] for k in ("key", "name", "city", "amount", "txid", "info", "reusable")}
    common = {k: kw[k] for k in ("name", "city", "amount", "reusable", "truncate")}
    for call in (
        lambda: encode_static(**static_kw, postal_code=kw["cep"], truncate=kw["truncate"]),
        lambda: encode_dynamic(url=kw["url"], postal_code=kw["cep"], **common),
        lambda: normalize_key(kw["key"]),
        lambda: crc16(kw["name"]),
    ):
        try:
            result = call()
        except BRCodeError as exc:
            assert exc.violations
        else:
            if isinstance(result, str) and result.startswith("0002"):
                assert validate(result) == []


VALID_CODES = [
    encode_static(
        key="123e4567-e12b-12d1-a456-426655440000", name="Fulano de Tal", city="BRASILIA"
    ),
    encode_static(
        key="fulano@example.com",
        name="Loja",
        city="Sao Paulo",
        amount=Decimal("10.50"),
        txid="PEDIDO42",
        info="Pedido 42",
        postal_code="01310100",
        reusable=False,
    ),
    encode_dynamic(url="pix.example.com/qr/v2/abc123", name="Loja", city="Recife"),
]


def _mutations() -> st.SearchStrategy[str]:
    code = st.sampled_from(VALID_CODES)
    char = st.characters(codec=None, exclude_categories=())

    def apply(c: str, ops: list[tuple[int, int, str]]) -> str:
        for kind, pos, ch in ops:
            i = pos % (len(c) + 1)
            if kind == 0:
                c = c[:i] + ch + c[i + 1 :]
            elif kind == 1:
                c = c[:i] + ch + c[i:]
            else:
                c = c[:i] + c[i + 1 :]
        return c

    ops = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 600), char), min_size=1, max_size=6)
    return st.builds(apply, code, ops)


@given(code=_mutations(), lenient=st.booleans())
@SETTINGS
def test_mutated_codes_raise_only_brcode_error(code: str, lenient: bool) -> None:
    with contextlib.suppress(BRCodeError):
        decode(code, lenient=lenient)
    validate(code, lenient=lenient)
    with contextlib.suppress(BRCodeError):
        qr_svg(code)


@given(
    code=st.sampled_from(VALID_CODES), pos=st.integers(0, 600), ch=st.characters(max_codepoint=127)
)
@SETTINGS
def test_single_ascii_substitution_is_caught(code: str, pos: int, ch: str) -> None:
    i = pos % len(code)
    assume(code[i] != ch)
    bad = code[:i] + ch + code[i + 1 :]
    with pytest.raises(BRCodeError):
        decode(bad, lenient=True)


def test_every_single_substitution_of_golden_is_caught(golden: str) -> None:
    """Exhaustive: each position x each printable ASCII character (CRC-16 catches 8-bit bursts)."""
    printable = [chr(c) for c in range(32, 127)]
    caught = 0
    for i, original in enumerate(golden):
        for ch in printable:
            if ch == original:
                continue
            bad = golden[:i] + ch + golden[i + 1 :]
            assert validate(bad, lenient=True), (i, ch)
            caught += 1
    assert caught == len(golden) * 94


def test_crc_is_over_the_whole_payload(golden: str) -> None:
    assert golden.endswith(crc16(golden[:-4]))
