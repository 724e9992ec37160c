"""Encoders: build canonical static and dynamic Pix BR Codes, refusing anything off-spec."""

from __future__ import annotations

from binascii import crc_hqx
from decimal import Context, Decimal, InvalidOperation

from .errors import BRCodeError, KeyFormatError, ValidationError, fail
from .keys import normalize_key
from .rules import URL_SHAPE
from .text import describe, first_bad_char, fold_ascii

CENT = Decimal("0.01")
MONEY = Context(prec=60, traps=[InvalidOperation])  # independent of the caller's context
MAX_TEXT_INPUT = 1000
PIX_GUI_TLV = "0014br.gov.bcb.pix"


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def _text(value: object, field: str, param: str, limit: int, truncate: bool) -> str:
    """Fold to printable ASCII, strip, enforce 1..limit characters (or cut when truncating)."""
    if not isinstance(value, str):
        fail(field, "type", f"expected str, got {type(value).__name__}", None, param)
    if len(value) > MAX_TEXT_INPUT:
        if not truncate:
            fail(field, "max_length", f"{len(value)} characters, at most {limit}", value, param)
        value = value[:MAX_TEXT_INPUT]
    text = fold_ascii(value).strip()
    if not (text.isascii() and text.isprintable()):
        bad = describe(first_bad_char(text))
        fail(field, "charset", f"{bad} has no ASCII form; use plain letters", value, param)
    if not text:
        fail(field, "min_length", "must not be empty", value, param)
    if len(text) > limit:
        if not truncate:
            fail(field, "max_length", f"{len(text)} characters, at most {limit}", value, param)
        text = text[:limit].rstrip()
    return text


def _amount(amount: object) -> str | None:
    """Decimal (or int / decimal string) -> 'd+.dd'; positive, <= 2 decimals, <= 13 chars."""
    field = "54 transaction_amount"
    if amount is None:
        return None
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int | str):
        kind = type(amount).__name__
        fail(
            field,
            "type",
            f"pass a Decimal (or int / str), not {kind}: money must be exact",
            None,
            "amount",
        )
    try:
        value = Decimal(amount.strip()[:64] if isinstance(amount, str) else amount)
    except (ArithmeticError, ValueError):
        fail(field, "amount_invalid", "not a decimal number", amount, "amount")
    if not value.is_finite():
        fail(field, "amount_invalid", "must be a finite number", amount, "amount")
    if value <= 0:
        fail(
            field,
            "amount_zero" if not value else "amount_negative",
            "must be greater than 0",
            amount,
            "amount",
        )
    try:
        cents = value.quantize(CENT, context=MONEY)
    except ArithmeticError:
        fail(field, "max_length", "amount too large", amount, "amount")
    if cents != value:
        fail(field, "amount_decimals", "at most 2 decimal places", amount, "amount")
    text = f"{cents:f}"
    if len(text) > 13:
        fail(
            field,
            "max_length",
            f"'{text}' has {len(text)} characters, at most 13",
            amount,
            "amount",
        )
    return text


def _txid(txid: object) -> str:
    field = "62-05 txid"
    if txid is None or txid == "***":
        return "***"
    if not isinstance(txid, str):
        fail(field, "type", f"expected str, got {type(txid).__name__}", None, "txid")
    if not txid or len(txid) > 25:
        fail(
            field,
            "max_length" if txid else "min_length",
            "a static txid is '***' or 1-25 letters/digits",
            txid,
            "txid",
        )
    if not (txid.isascii() and txid.isalnum()):
        fail(field, "txid_charset", "only letters A-Z, a-z and digits 0-9", txid, "txid")
    return txid


def _postal(postal_code: object) -> str | None:
    if postal_code is None:
        return None
    if not isinstance(postal_code, str):
        kind = type(postal_code).__name__
        fail("61 postal_code", "type", f"expected str, got {kind}", None, "postal_code")
    cep = postal_code.strip().replace("-", "").replace(".", "")
    if not (len(cep) == 8 and cep.isdigit() and cep.isascii()):
        fail(
            "61 postal_code", "postal_code_format", "a CEP is 8 digits", postal_code, "postal_code"
        )
    return cep


def _flag(value: object, param: str, allow_none: bool) -> bool | None:
    if value is None and allow_none:
        return None
    if not isinstance(value, bool):
        fail(
            "01 point_of_initiation_method" if param == "reusable" else param,
            "type",
            f"{param} must be True or False",
            None,
            param,
        )
    return value


def _assemble(
    mai: str,
    poi: bool | None,
    amount: str | None,
    name: str,
    city: str,
    postal: str | None,
    txid: str,
) -> str:
    if len(mai) > 99:
        fail(
            "26 merchant_account_information",
            "max_length",
            f"template 26 would be {len(mai)} characters, at most 99",
        )
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


def _guard(build, **kwargs: object) -> str:
    try:
        return build(**kwargs)
    except BRCodeError:
        raise
    except Exception as exc:  # defensive: callers only ever see BRCodeError
        raise BRCodeError("code", f"cannot encode: {exc!r}", None, rule="internal") from exc


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


class _Collector:
    """Run each field check, keep every violation, raise once with all of them."""

    def __init__(self) -> None:
        self.errors: list[BRCodeError] = []

    def __call__(self, check, *args):  # type: ignore[no-untyped-def]
        try:
            return check(*args)
        except BRCodeError as exc:
            self.errors.append(exc)
            return None

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        first = self.errors[0]
        if len(self.errors) == 1:
            raise first
        violations = [v for exc in self.errors for v in exc.violations]
        raise ValidationError(
            first.field, first.reason, first.value, violations, rule=first.rule, param=first.param
        )


def _key(key: object) -> str:
    try:
        return normalize_key(key).value  # type: ignore[arg-type]
    except KeyFormatError as exc:
        raise KeyFormatError(
            "26-01 pix_key", exc.reason, exc.value, rule="key_format", param="key"
        ) from None


def _info(info: object, key: str | None, truncate: bool) -> str | None:
    if info is None or (isinstance(info, str) and not info.strip()):
        return None
    room = 73 - len(key or "")
    return _text(info, "26-02 info_adicional", "info", max(room, 0), truncate) or None


def _static(*, key, name, city, amount, txid, info, postal_code, reusable, truncate) -> str:
    take = _Collector()
    truncate = bool(take(_flag, truncate, "truncate", False))
    pix_key = take(_key, key)
    extra = take(_info, info, pix_key, truncate)
    values = (
        take(_flag, reusable, "reusable", True),
        take(_amount, amount),
        take(_text, name, "59 merchant_name", "name", 25, truncate),
        take(_text, city, "60 merchant_city", "city", 15, truncate),
        take(_postal, postal_code),
        take(_txid, txid),
    )
    take.raise_if_any()
    mai = f"{PIX_GUI_TLV}01{len(pix_key):02d}{pix_key}"
    if extra:
        mai += _tlv("02", extra)
    return _assemble(mai, *values)


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


def _url(url: object) -> str:
    field = "26-25 url"
    if not isinstance(url, str):
        fail(field, "type", f"expected str, got {type(url).__name__}", None, "url")
    if "://" in url or url[:6].lower() in ("http:/", "https:"):
        fail(
            field, "url_scheme", "give the location without https:// (apps prepend it)", url, "url"
        )
    if len(url) > 77:
        fail(field, "max_length", f"{len(url)} characters, at most 77", url, "url")
    if not (url.isascii() and url.isprintable()) or " " in url or not URL_SHAPE.fullmatch(url):
        fail(field, "url_format", "expected host.domain/path in printable ASCII", url, "url")
    return url


def _dynamic(*, url, name, city, amount, postal_code, reusable, truncate) -> str:
    take = _Collector()
    truncate = bool(take(_flag, truncate, "truncate", False))
    location = take(_url, url)
    values = (
        take(_flag, reusable, "reusable", True),
        take(_amount, amount),
        take(_text, name, "59 merchant_name", "name", 25, truncate),
        take(_text, city, "60 merchant_city", "city", 15, truncate),
        take(_postal, postal_code),
    )
    take.raise_if_any()
    return _assemble(f"{PIX_GUI_TLV}25{len(location):02d}{location}", *values, "***")
