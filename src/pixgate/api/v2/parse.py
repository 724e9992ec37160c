"""Translate BCB request bodies and query strings into service inputs, naming every problem."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask import request

from pixgate.charges import queries, revisions
from pixgate.charges.cob import UNSET, CobFields
from pixgate.charges.errors import InvalidInput
from pixgate.charges.models import Charge
from pixgate.charges.money import parse_valor
from pixgate.charges.queries import Page

CPF = re.compile(r"\d{11}")
CNPJ = re.compile(r"[0-9A-Z]{12}\d{2}")
KNOWN = {"calendario", "devedor", "loc", "valor", "chave", "solicitacaoPagador",
         "infoAdicionais", "status"}


def integer(value: Any) -> int | None:
    """A JSON integer (read as Decimal by the strict body parser), or None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value.is_finite() and value.as_tuple().exponent == 0:
        return int(value)
    return None


def _person(raw: Any, problems: list[tuple[str, str]]) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        problems.append(("devedor", "must be an object with cpf or cnpj and nome"))
        return None
    cpf, cnpj, nome = raw.get("cpf"), raw.get("cnpj"), raw.get("nome")
    if cpf is not None and cnpj is not None:
        problems.append(("devedor", "cpf and cnpj cannot both be present"))
    elif cpf is None and cnpj is None:
        problems.append(("devedor", "needs cpf or cnpj"))
    elif cpf is not None and not (isinstance(cpf, str) and CPF.fullmatch(cpf)):
        problems.append(("devedor.cpf", "must be 11 digits"))
    elif cnpj is not None and not (isinstance(cnpj, str) and CNPJ.fullmatch(cnpj)):
        problems.append(("devedor.cnpj", "must be 14 characters of [0-9A-Z]"))
    if not isinstance(nome, str) or not 0 < len(nome) <= 200:
        problems.append(("devedor.nome", "is required, at most 200 characters"))
    return {k: raw[k] for k in ("cpf", "cnpj", "nome") if raw.get(k) is not None}


def _extra_info(raw: Any, problems: list[tuple[str, str]]) -> list[dict[str, str]] | None:
    if not isinstance(raw, list) or len(raw) > 50:
        problems.append(("infoAdicionais", "must be a list of at most 50 {nome, valor}"))
        return None
    for i, item in enumerate(raw):
        ok = (isinstance(item, dict) and set(item) == {"nome", "valor"}
              and isinstance(item["nome"], str) and 0 < len(item["nome"]) <= 50
              and isinstance(item["valor"], str) and 0 < len(item["valor"]) <= 200)
        if not ok:
            problems.append((f"infoAdicionais[{i}]", "needs nome (≤50) and valor (≤200) strings"))
    return raw


def cob_fields(body: dict[str, Any], *, patch: bool) -> CobFields:
    """A cob body (CobSolicitada or CobRevisada) as CobFields; every violation at once."""
    problems: list[tuple[str, str]] = [(k, "is not a cob property") for k in body if k not in KNOWN]
    values: dict[str, Any] = {}
    if "calendario" in body:
        cal = body["calendario"]
        exp = cal.get("expiracao", UNSET) if isinstance(cal, dict) else None
        if exp is not UNSET and integer(exp) is None:
            problems.append(("calendario.expiracao", "must be an integer number of seconds"))
        elif exp is not UNSET:
            values["expiry"] = integer(exp)
    if "valor" in body:
        valor = body["valor"]
        original = valor.get("original") if isinstance(valor, dict) else None
        mode = None
        if isinstance(valor, dict) and "modalidadeAlteracao" in valor:
            mode = integer(valor["modalidadeAlteracao"])
            if mode not in (0, 1):
                problems.append(("valor.modalidadeAlteracao", "must be 0 or 1"))
            else:
                values["amount_editable"] = mode == 1
        if isinstance(valor, dict) and set(valor) - {"original", "modalidadeAlteracao"}:
            problems.append(("valor", "only original and modalidadeAlteracao are supported"))
        if mode == 1 and original == "0.00":
            values["amount"] = Decimal("0.00")  # the payer chooses; no suggestion
        else:
            try:
                values["amount"] = parse_valor(original, field="valor.original")
            except InvalidInput as exc:
                problems.append(("valor.original", exc.reason))
    shared_fields(body, values, problems, read_person=_person)
    remove = False
    if "status" in body:
        if not patch or body["status"] != "REMOVIDA_PELO_USUARIO_RECEBEDOR":
            problems.append(("status", "only PATCH may set REMOVIDA_PELO_USUARIO_RECEBEDOR"))
        remove = True
    if problems:
        raise InvalidInput.many(problems)
    return CobFields(**values, remove=remove, given=frozenset(body))


def timestamp(name: str) -> datetime:
    """A required RFC 3339 query parameter with an offset."""
    raw = request.args.get(name)
    if raw is None:
        raise InvalidInput(name, "is required (RFC 3339, e.g. 2026-01-01T00:00:00Z)")
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(name, "must be an RFC 3339 timestamp") from None
    if value.tzinfo is None:
        raise InvalidInput(name, "must carry a UTC offset (Z or ±hh:mm)")
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise InvalidInput(name, "falls outside the years 0001 to 9999 in UTC") from None
    return value


def period() -> tuple[datetime, datetime]:
    """`inicio` and `fim`, in order."""
    start, end = timestamp("inicio"), timestamp("fim")
    if end < start:
        raise InvalidInput("fim", "is before inicio")
    return start, end


def flag(name: str) -> bool | None:
    """An optional boolean query parameter."""
    raw = request.args.get(name)
    if raw is None:
        return None
    if raw not in ("true", "false"):
        raise InvalidInput(name, "must be true or false")
    return raw == "true"


def page() -> Page:
    """`paginacao.paginaAtual` (≥0) and `paginacao.itensPorPagina` (1..1000)."""
    values = {}
    for name, low, high, default in (("paginaAtual", 0, 10**6, 0),
                                     ("itensPorPagina", 1, 1000, 100)):
        raw = request.args.get(f"paginacao.{name}", str(default))
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise InvalidInput(f"paginacao.{name}", f"must be an integer from {low} to {high}")
        values[name] = int(raw)
    return Page(number=values["paginaAtual"], size=values["itensPorPagina"])


def document() -> str | None:
    """`cpf` or `cnpj`, never both."""
    cpf, cnpj = request.args.get("cpf"), request.args.get("cnpj")
    if cpf and cnpj:
        raise InvalidInput("cpf", "cpf and cnpj cannot be used together")
    if cpf and not CPF.fullmatch(cpf):
        raise InvalidInput("cpf", "must be 11 digits")
    if cnpj and not CNPJ.fullmatch(cnpj):
        raise InvalidInput("cnpj", "must be 14 characters of [0-9A-Z]")
    return cpf or cnpj


def listing(start: datetime, end: datetime, page: Page, total: int) -> dict[str, Any]:
    """The `parametros` object every BCB list answer carries."""
    return {"inicio": start.isoformat(), "fim": end.isoformat(), "paginacao": page.describe(total)}


def status() -> str | None:
    """A listing's `status` filter: one of BCB's statuses, or None for any."""
    value = request.args.get("status")
    if value is not None and value not in queries.BCB_STATUS_TO_OURS:
        raise InvalidInput("status", "must be one of " + ", ".join(queries.BCB_STATUS_TO_OURS))
    return value


def revision_fields(session: Any, charge: Charge) -> dict[str, Any] | None:
    """`?revisao=N`: the charge's fields as they were at N; None means as it is now."""
    raw = request.args.get("revisao")
    if raw is None:
        return None
    if not raw.isdigit():
        raise InvalidInput("revisao", "must be a non-negative integer")
    wanted = int(raw)
    return None if wanted == charge.revision else revisions.at_revision(session, charge, wanted)


def shared_fields(
    body: dict[str, Any], values: dict[str, Any], problems: list[tuple[str, str]], *,
    read_person: Callable[[Any, list[tuple[str, str]]], dict[str, Any] | None],
    prefix: str = "", kind: str = "",
) -> None:
    """`chave`, `devedor` (by `read_person`), `solicitacaoPagador`, `infoAdicionais` and `loc`,
    read the same for cob and cobv (`prefix` names fields as BCB's violacoes do: `cobv.`)."""
    if "chave" in body:
        if not isinstance(body["chave"], str) or not 0 < len(body["chave"]) <= 77:
            problems.append((f"{prefix}chave", "must be a Pix key of at most 77 characters"))
        else:
            values["chave"] = body["chave"]
    if "devedor" in body:
        values["debtor"] = read_person(body["devedor"], problems)
    if "solicitacaoPagador" in body:
        text = body["solicitacaoPagador"]
        if not isinstance(text, str) or len(text) > 140:
            problems.append((f"{prefix}solicitacaoPagador",
                             "must be a string of at most 140 characters"))
        else:
            values["payer_request"] = text
    if "infoAdicionais" in body:
        found: list[tuple[str, str]] = []
        values["extra_info"] = _extra_info(body["infoAdicionais"], found)
        problems.extend((f"{prefix}{prop}", reason) for prop, reason in found)
    if "loc" in body:
        loc = body["loc"]
        loc_id = integer(loc.get("id")) if isinstance(loc, dict) else None
        if loc_id is None or not 0 < loc_id <= 2**31 - 1:
            problems.append((f"{prefix}loc.id", f"must be the id of a {kind}location"))
        else:
            values["location_id"] = loc_id

