"""Translate cobv and lotecobv bodies into service inputs, naming every problem (shape only)."""

from __future__ import annotations

from typing import Any

from pixgate.api.v2.parse import _person, integer, shared_fields
from pixgate.charges.errors import InvalidInput
from pixgate.cobv.service import CobvFields
from pixgate.cobv.valor import parse_date, parse_valor

KNOWN = {"calendario", "devedor", "loc", "valor", "chave", "solicitacaoPagador",
         "infoAdicionais", "status"}
PARTS = frozenset({"multa", "juros", "abatimento", "desconto"})
ADDRESS = {"email": 200, "logradouro": 200, "cidade": 200, "uf": 2, "cep": 8}
Problems = list[tuple[str, str]]


def _debtor(raw: Any, problems: Problems) -> dict[str, Any] | None:
    found: Problems = []
    person = _person(raw, found)
    problems.extend((f"cobv.{prop}", reason) for prop, reason in found)
    if not isinstance(raw, dict) or person is None:
        return None
    for key in raw:
        if key not in ADDRESS and key not in ("cpf", "cnpj", "nome"):
            problems.append((f"cobv.devedor.{key}", "is not a property of devedor"))
    for key, limit in ADDRESS.items():
        if key in raw:
            if not isinstance(raw[key], str) or len(raw[key]) > limit:
                problems.append((f"cobv.devedor.{key}", f"must be a string of at most {limit}"))
            else:
                person[key] = raw[key]
    return None if found else person


def _calendar(raw: Any, values: dict[str, Any], problems: Problems) -> None:
    if not isinstance(raw, dict):
        problems.append(("cobv.calendario", "must be an object"))
        return
    for key in raw:
        if key not in ("dataDeVencimento", "validadeAposVencimento"):
            problems.append((f"cobv.calendario.{key}", "is not a property of a cobv calendario"))
    if "dataDeVencimento" in raw:
        due = parse_date(raw["dataDeVencimento"])
        if due is None:
            problems.append(("cobv.calendario.dataDeVencimento", "must be a date YYYY-MM-DD"))
        else:
            values["due_date"] = due
    if "validadeAposVencimento" in raw:
        days = integer(raw["validadeAposVencimento"])
        if days is None:
            problems.append(("cobv.calendario.validadeAposVencimento", "must be an integer"))
        else:
            values["validity_days"] = days


def cobv_fields(body: dict[str, Any], *, patch: bool) -> CobvFields:
    """A cobv body (CobVSolicitada or CobVRevisada) as CobvFields; every violation at once."""
    problems: Problems = [(f"cobv.{k}", "is not a cobv property") for k in body if k not in KNOWN]
    values: dict[str, Any] = {}
    if "calendario" in body:
        _calendar(body["calendario"], values, problems)
    if "valor" in body:
        valor = parse_valor(body["valor"], problems, allow=PARTS)
        if valor is not None:
            if valor.original is not None:
                values["amount"] = valor.original
            values["parts"] = valor.parts
    shared_fields(body, values, problems, read_person=_debtor, prefix="cobv.", kind="cobv ")
    remove = False
    if "status" in body:
        if not patch or body["status"] != "REMOVIDA_PELO_USUARIO_RECEBEDOR":
            problems.append(("cobv.status", "only PATCH may set REMOVIDA_PELO_USUARIO_RECEBEDOR"))
        remove = True
    if problems:
        raise InvalidInput.many(problems)
    return CobvFields(**values, remove=remove, replace_parts=not patch, given=frozenset(body))
