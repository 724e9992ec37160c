"""What the charge service may ask of a PSP, whichever one it is (sandbox or a real bank)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from pixgate.charges.errors import ChargeError


class PspError(ChargeError):
    """The PSP answered, but not with what was asked: our caller gets a 502."""

    status = 502
    title = "PSP error"
    code = "psp_error"

    def __init__(
        self, detail: str, *, operation: str, upstream_status: int | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(detail)
        self.operation = operation
        self.upstream_status = upstream_status
        self.body = body


class PspUnavailable(PspError):
    """The PSP could not be reached or timed out: our caller gets a 503 and may retry."""

    status = 503
    title = "PSP unavailable"
    code = "psp_unavailable"


class PspNotFound(PspError):
    """The PSP has no such object (a forged endToEndId or txid reads back as this)."""

    status = 404
    title = "Not found at the PSP"
    code = "psp_not_found"


@dataclass(frozen=True)
class PspRefund:
    """A devolução as the PSP reports it; `status` is EM_PROCESSAMENTO/DEVOLVIDO/NAO_REALIZADO."""

    refund_id: str
    rtr_id: str | None
    amount: Decimal
    status: str
    reason: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PspPix:
    """A Pix that reached the merchant's account, as the PSP reports it (the only trusted copy)."""

    end_to_end_id: str
    txid: str | None
    amount: Decimal
    paid_at: datetime
    payer: dict[str, Any] | None = None
    info: str | None = None
    refunds: tuple[PspRefund, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PspCob:
    """A cob or cobv as the PSP holds it: the payer sees `pix_copia_e_cola` and `location`."""

    txid: str
    status: str
    revision: int
    amount: Decimal
    pix_copia_e_cola: str | None
    location: str | None
    pix: tuple[PspPix, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PixPage:
    """One page of `GET /pix?inicio=&fim=`; `pages` is the total the PSP reported."""

    pix: tuple[PspPix, ...]
    page: int
    pages: int


class Psp(Protocol):
    """Every call the charge service makes to a PSP. Bodies are BCB's JSON shapes."""

    name: str

    def put_cob(self, txid: str, body: dict[str, Any]) -> PspCob:
        """`PUT /cob/{txid}`: idempotent on our own txid, so safe to retry."""
        ...

    def patch_cob(self, txid: str, body: dict[str, Any]) -> PspCob:
        """`PATCH /cob/{txid}`: a revision, or `{"status": "REMOVIDA_PELO_USUARIO_RECEBEDOR"}`."""
        ...

    def get_cob(self, txid: str) -> PspCob:
        """`GET /cob/{txid}`: the PSP's view, including the Pix that paid it."""
        ...

    def put_cobv(self, txid: str, body: dict[str, Any]) -> PspCob:
        """`PUT /cobv/{txid}` (CobVSolicitada): idempotent on our own txid, so safe to retry."""
        ...

    def patch_cobv(self, txid: str, body: dict[str, Any]) -> PspCob:
        """`PATCH /cobv/{txid}` (CobVRevisada): a revision, or removal by the receiver."""
        ...

    def get_cobv(self, txid: str) -> PspCob:
        """`GET /cobv/{txid}`: the PSP's view of a cobv, including the Pix that paid it."""
        ...

    def get_pix(self, end_to_end_id: str) -> PspPix:
        """`GET /pix/{e2eid}`: read a Pix back before crediting it; PspNotFound if unknown."""
        ...

    def list_pix(self, *, start: datetime, end: datetime, page: int = 0) -> PixPage:
        """`GET /pix?inicio=&fim=&paginacao.paginaAtual=`: what arrived in a window."""
        ...

    def put_refund(self, end_to_end_id: str, refund_id: str, amount: Decimal) -> PspRefund:
        """`PUT /pix/{e2eid}/devolucao/{id}`: idempotent on the merchant's refund id."""
        ...

    def get_refund(self, end_to_end_id: str, refund_id: str) -> PspRefund:
        """`GET /pix/{e2eid}/devolucao/{id}`: follow a refund to DEVOLVIDO or NAO_REALIZADO."""
        ...

    def put_webhook(self, key: str, url: str) -> None:
        """`PUT /webhook/{chave}`: where the PSP notifies (it appends `/pix`)."""
        ...

    def get_webhook(self, key: str) -> dict[str, Any] | None:
        """`GET /webhook/{chave}`: the registered URL, or None when there is none."""
        ...
