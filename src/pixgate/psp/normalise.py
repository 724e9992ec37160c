"""PSP answers (BCB's JSON, read leniently) into the dataclasses of psp.base.

Lenient where PSPs differ harmlessly (`brcode` for `pixCopiaECola`, a missing `revisao`,
numbers instead of strings for `valor`); strict where money is concerned: a Pix without an
endToEndId, an amount or a time is refused, never guessed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pixgate.psp.base import PixPage, PspCob, PspError, PspPix, PspRefund
from pixgate.psp.profiles import copia_e_cola


def _fail(operation: str, detail: str, body: Any) -> PspError:
    return PspError(f"the PSP's answer {detail}", operation=operation, body=body)


def _object(operation: str, body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise _fail(operation, "is not a JSON object", body)
    return body


def _money(operation: str, value: Any, body: Any) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise _fail(operation, f"has an unreadable amount {value!r}", body) from None
    if not amount.is_finite() or amount < 0:
        raise _fail(operation, f"has an invalid amount {value!r}", body)
    return amount


def _time(operation: str, value: Any, body: Any) -> datetime:
    if not isinstance(value, str):
        raise _fail(operation, "has no time", body)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise _fail(operation, f"has an unreadable time {value!r}", body) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def refund(operation: str, body: Any) -> PspRefund:
    """One devolução."""
    item = _object(operation, body)
    if not isinstance(item.get("id"), str) or not isinstance(item.get("status"), str):
        raise _fail(operation, "lacks the refund's id or status", body)
    return PspRefund(refund_id=item["id"], rtr_id=item.get("rtrId"),
                     amount=_money(operation, item.get("valor"), body), status=item["status"],
                     reason=item.get("motivo"), raw=item)


def pix(operation: str, body: Any) -> PspPix:
    """One received Pix; refused unless it names its endToEndId, amount and time."""
    item = _object(operation, body)
    e2eid = item.get("endToEndId")
    if not isinstance(e2eid, str) or not e2eid:
        raise _fail(operation, "lacks the Pix's endToEndId", body)
    refunds = item.get("devolucoes") or []
    if not isinstance(refunds, list):
        raise _fail(operation, "has devolucoes that are not a list", body)
    payer = item.get("pagador")
    return PspPix(end_to_end_id=e2eid, txid=item.get("txid") or None,
                  amount=_money(operation, item.get("valor"), body),
                  paid_at=_time(operation, item.get("horario"), body),
                  payer=payer if isinstance(payer, dict) else None,
                  info=item.get("infoPagador"),
                  refunds=tuple(refund(operation, r) for r in refunds), raw=item)


def cob(operation: str, body: Any) -> PspCob:
    """A cob with the code the payer sees, under whichever name the PSP gave it."""
    item = _object(operation, body)
    if not isinstance(item.get("txid"), str) or not isinstance(item.get("status"), str):
        raise _fail(operation, "lacks the cob's txid or status", body)
    value = item.get("valor")
    original = value.get("original") if isinstance(value, dict) else None
    location = item.get("location")
    if location is None and isinstance(item.get("loc"), dict):
        location = item["loc"].get("location")
    paid = item.get("pix") or []
    if not isinstance(paid, list):
        raise _fail(operation, "has a pix list that is not a list", body)
    revision = item.get("revisao", 0)
    return PspCob(txid=item["txid"], status=item["status"],
                  revision=revision if isinstance(revision, int) else 0,
                  amount=_money(operation, original, body),
                  pix_copia_e_cola=copia_e_cola(item), location=location,
                  pix=tuple(pix(operation, p) for p in paid), raw=item)


def pix_page(operation: str, body: Any) -> PixPage:
    """A page of `GET /pix`; `pages` is at least 1 so a caller's loop always ends."""
    item = _object(operation, body)
    listed = item.get("pix")
    if not isinstance(listed, list):
        raise _fail(operation, "has no pix list", body)
    paging = (item.get("parametros") or {}).get("paginacao") or {}
    page = paging.get("paginaAtual", 0)
    pages = paging.get("quantidadeDePaginas", 1)
    return PixPage(pix=tuple(pix(operation, p) for p in listed),
                   page=page if isinstance(page, int) else 0,
                   pages=max(pages, 1) if isinstance(pages, int) else 1)


def webhook_items(body: Any) -> list[dict[str, Any]]:
    """The Pix a webhook announces: BCB's `{"pix": [...]}` or a bare array (Inter, reported).

    Only a trigger: each item must be read back from the PSP before it credits anything.
    """
    listed = body.get("pix") if isinstance(body, dict) else body
    if not isinstance(listed, list):
        return []
    return [item for item in listed if isinstance(item, dict)]


def problem(body: Any, text: str) -> str:
    """A readable reason from an error body: RFC 7807, BB's `erros`, or anything else."""
    if isinstance(body, dict):
        parts = [str(body[k]) for k in ("title", "detail") if body.get(k)]
        for violation in body.get("violacoes") or []:
            if isinstance(violation, dict):
                parts.append(f"{violation.get('propriedade', '')}: {violation.get('razao', '')}")
        for error in body.get("erros") or []:
            if isinstance(error, dict):
                parts.append(str(error.get("mensagem") or error.get("codigo") or error))
        for key in ("message", "error_description", "error", "mensagem"):
            if not parts and body.get(key):
                parts.append(str(body[key]))
        if parts:
            return "; ".join(parts)[:500]
    return (text or "no detail").strip()[:300]
