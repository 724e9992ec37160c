"""Encoders: build canonical static and dynamic Pix BR Codes, refusing anything off-spec."""

from __future__ import annotations

from binascii import crc_hqx
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

from . import inputs
from .errors import BRCodeError, fail

PIX_GUI_TLV = "0014br.gov.bcb.pix"


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def _assemble(
    mai: str,
    poi: bool | None,
    amount: str | None,
    name: str,
    city: str,
    postal: str | None,
    txid: str,
) -> str:
    """IDs in ascending order, 00 first and 63 last, CRC over the UTF-8 (here ASCII) bytes."""
    if len(mai) > 99:
        fail("26 merchant_account_information", "max_length", f"{len(mai)} characters, max 99")
    parts = ["000201"]
    if poi is not None:
        parts.append("010211" if poi else "010212")
    parts += ["26", f"{len(mai):02d}", mai, "52040000", "5303986"]
    if amount is not None:
        parts.append(_tlv("54", amount))
    parts += ["5802BR", _tlv("59", name), _tlv("60", city)]
    if postal is not None:
        parts.append(_tlv("61", postal))
    parts += ["62", f"{len(txid) + 4:02d}05", f"{len(txid):02d}", txid, "6304"]
    payload = "".join(parts)
    if len(payload) + 4 > 512:
        fail("code", "oversize", f"{len(payload) + 4} characters, at most 512")
    return f"{payload}{crc_hqx(payload.encode('ascii'), 0xFFFF):04X}"


def _guard(build: Callable[..., str], **kwargs: object) -> str:
    try:
        return build(**kwargs)
    except BRCodeError:
        raise
    except Exception as exc:  # defensive: callers only ever see BRCodeError
        raise BRCodeError("code", f"cannot encode: {exc!r}", None, rule="internal") from exc


def _common(take: inputs.Collector, kw: dict[str, object], truncate: bool) -> tuple[object, ...]:
    return (
        take(inputs.flag, kw["reusable"], "reusable", True),
        take(inputs.amount, kw["amount"]),
        take(inputs.text, kw["name"], "59 merchant_name", "name", 25, truncate),
        take(inputs.text, kw["city"], "60 merchant_city", "city", 15, truncate),
        take(inputs.postal_code, kw["postal_code"]),
    )


def _static(**kw: object) -> str:
    take = inputs.Collector()
    truncate = bool(take(inputs.flag, kw["truncate"], "truncate", False))
    key = take(inputs.pix_key, kw["key"])
    info = take(inputs.info, kw["info"], key, truncate)
    values = _common(take, kw, truncate)
    txid = take(inputs.txid, kw["txid"])
    take.raise_if_any()
    mai = f"{PIX_GUI_TLV}01{len(key):02d}{key}"
    if info:
        mai += _tlv("02", info)
    return _assemble(mai, *values, txid)  # type: ignore[arg-type]


@lru_cache(maxsize=256, typed=True)  # typed: True and 1 are different inputs here
def _merchant(key: object, name: object, city: object, info: object, postal_code: object,
              reusable: object, truncate: object) -> tuple[object, ...] | None:
    # What a merchant's codes share, validated once: a server encodes thousands of codes for
    # the same key, name and city, and only the amount and the txid change between them.
    take = inputs.Collector()
    cut = bool(take(inputs.flag, truncate, "truncate", False))
    pix_key = take(inputs.pix_key, key)
    extra = take(inputs.info, info, pix_key, cut)
    poi = take(inputs.flag, reusable, "reusable", True)
    shown_name = take(inputs.text, name, "59 merchant_name", "name", 25, cut)
    shown_city = take(inputs.text, city, "60 merchant_city", "city", 15, cut)
    postal = take(inputs.postal_code, postal_code)
    if take.errors:
        return None  # the full path reports every violation, the amount's and txid's included
    mai = f"{PIX_GUI_TLV}01{len(pix_key):02d}{pix_key}" + (_tlv("02", extra) if extra else "")
    return mai, poi, shown_name, shown_city, postal


def _for_merchant(*, merchant: tuple[object, ...], amount: object, txid: object) -> str:
    take = inputs.Collector()
    value, code_txid = take(inputs.amount, amount), take(inputs.txid, txid)
    take.raise_if_any()
    mai, poi, name, city, postal = merchant
    return _assemble(mai, poi, value, name, city, postal, code_txid)  # type: ignore[arg-type]


def _dynamic(**kw: object) -> str:
    take = inputs.Collector()
    truncate = bool(take(inputs.flag, kw["truncate"], "truncate", False))
    url = take(inputs.url, kw["url"])
    values = _common(take, kw, truncate)
    take.raise_if_any()
    return _assemble(f"{PIX_GUI_TLV}25{len(url):02d}{url}", *values, "***")  # type: ignore[arg-type]


def encode_static(
    *,
    key: str,
    name: str,
    city: str,
    amount: Decimal | None = None,
    txid: str = "***",
    info: str | None = None,
    postal_code: str | None = None,
    reusable: bool | None = None,
    truncate: bool = False,
) -> str:
    """Build a static code (key in 26-01) that any Pix app can pay without a PSP round trip."""
    try:
        merchant = _merchant(key, name, city, info, postal_code, reusable, truncate)
    except TypeError:  # an unhashable argument: certainly invalid, reported below
        merchant = None
    if merchant is not None:
        return _guard(_for_merchant, merchant=merchant, amount=amount, txid=txid)
    return _guard(
        _static,
        key=key,
        name=name,
        city=city,
        amount=amount,
        txid=txid,
        info=info,
        postal_code=postal_code,
        reusable=reusable,
        truncate=truncate,
    )


def encode_dynamic(
    *,
    url: str,
    name: str,
    city: str,
    amount: Decimal | None = None,
    postal_code: str | None = None,
    reusable: bool = False,
    truncate: bool = False,
) -> str:
    """Build a dynamic code: the payer app fetches the charge (JWS) from the URL in 26-25."""
    return _guard(
        _dynamic,
        url=url,
        name=name,
        city=city,
        amount=amount,
        postal_code=postal_code,
        reusable=reusable,
        truncate=truncate,
    )
