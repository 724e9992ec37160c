"""BCB's problem+json: `https://pix.bcb.gov.br/api/v2/error/<Tipo>` with `violacoes`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, g, jsonify

from pixgate.charges.errors import ChargeError, NotFound

ERROR_BASE = "https://pix.bcb.gov.br/api/v2/error/"
F = TypeVar("F", bound=Callable[..., Any])

TITLES = {
    400: "Requisição inválida.", 401: "Não autenticado.", 403: "Acesso negado.",
    404: "Não encontrado.", 409: "Operação inválida.", 413: "Requisição grande demais.",
    415: "Tipo de conteúdo não suportado.",
    502: "Erro no PSP.", 503: "Serviço indisponível.",
}


def bcb_errors(*, not_found: str, invalid: str) -> Callable[[F], F]:
    """Name the BCB error types this endpoint answers with (e.g. CobNaoEncontrado)."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            g.bcb_types = (not_found, invalid)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def bcb_problem(
    status: int, type_name: str, detail: str, violations: list[tuple[str, str]] | None = None
) -> Response:
    """A BCB error body; 4xx rule failures are 400 as the standard lists them."""
    body: dict[str, Any] = {"type": ERROR_BASE + type_name, "title": TITLES.get(status, "Erro."),
                            "status": status, "detail": detail}
    if violations:
        body["violacoes"] = [{"razao": reason, "propriedade": prop} for prop, reason in violations]
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def from_domain(exc: ChargeError) -> Response:
    """Map a service error to the endpoint's BCB type."""
    not_found, invalid = getattr(g, "bcb_types", ("NaoEncontrado", "RequisicaoInvalida"))
    if exc.status in (401, 403):
        return bcb_problem(exc.status, "AcessoNegado", exc.detail)
    if isinstance(exc, NotFound) or exc.status == 404:
        return bcb_problem(404, not_found, exc.detail)
    if exc.status >= 500:  # the merchant's PSP failed (502) or could not be reached (503)
        return bcb_problem(exc.status, "ServicoIndisponivel" if exc.status == 503
                           else "ErroInternoDoServidor", exc.detail)
    return bcb_problem(400, invalid, exc.detail, exc.violations or [("", exc.detail)])
