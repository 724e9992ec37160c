"""CPF/CNPJ check digits and the terms rules, without a database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pixgate.cobv.documents import valid_cnpj, valid_cpf
from pixgate.cobv.rules import check_person, check_terms
from pixgate.cobv.terms import Discount, Rule, Terms
from pixgate.cobv.valor import parse_valor

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(("cpf", "ok"), [
    ("12345678909", True), ("52998224725", True), ("12345678900", False),
    ("11111111111", False), ("1234567890", False), ("1234567890a", False)])
def test_cpf_check_digits(cpf: str, ok: bool) -> None:
    assert valid_cpf(cpf) is ok


@pytest.mark.parametrize(("cnpj", "ok"), [
    ("11222333000181", True), ("12ABC34501DE35", True), ("11222333000180", False),
    ("00000000000000", False), ("12ABC34501DE3A", False), ("12abc34501de35", False)])
def test_cnpj_check_digits_numeric_and_alphanumeric(cnpj: str, ok: bool) -> None:
    assert valid_cnpj(cnpj) is ok


def test_person_needs_a_document_with_right_digits() -> None:
    assert check_person(None, field="cobv.devedor") == [
        ("cobv.devedor", "is required: nome with cpf or cnpj")]
    assert check_person({"cpf": "12345678900", "nome": "A"}, field="d")[0][0] == "d.cpf"
    assert check_person({"cnpj": "11222333000181", "nome": "A"}, field="d") == []


def terms(**kw: object) -> Terms:
    return Terms(original=Decimal("100.00"), due_date=date(2026, 3, 10), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("cobv", "field"), [
    (Terms(original=Decimal("100.00"), due_date=date(2026, 3, 1)),
     "cobv.calendario.dataDeVencimento"),
    (Terms(original=Decimal("100.00"), due_date=date(2026, 3, 10), validity_days=-1),
     "cobv.calendario.validadeAposVencimento"),
    (terms(abatimento=Rule(1, Decimal("100.00"))), "cobv.valor.abatimento"),
    (terms(abatimento=Rule(2, Decimal("100.00"))), "cobv.valor.abatimento"),
    (terms(desconto=Discount(1, Decimal("1.00"), ((date(2026, 3, 5), Decimal("1.00")),))),
     "cobv.valor.desconto.valorPerc"),
    (terms(desconto=Discount(2, None, ())), "cobv.valor.desconto.descontoDataFixa"),
    (terms(desconto=Discount(1, None, ((date(2026, 3, 11), Decimal("1.00")),))),
     "cobv.valor.desconto.descontoDataFixa[0].data"),
    (terms(desconto=Discount(1, None, ((date(2026, 3, 5), Decimal("1.00")),
                                       (date(2026, 3, 5), Decimal("2.00"))))),
     "cobv.valor.desconto.descontoDataFixa[1].data"),
    (terms(desconto=Discount(2, None, ((date(2026, 3, 5), Decimal("100.00")),))),
     "cobv.valor.desconto.descontoDataFixa[0].valorPerc"),
    (terms(desconto=Discount(4, None, ())), "cobv.valor.desconto.valorPerc"),
    (terms(desconto=Discount(3, Decimal("100.00"), ())), "cobv.valor.desconto.valorPerc"),
    (terms(desconto=Discount(6, Decimal("1.00"), ((date(2026, 3, 5), Decimal("1.00")),))),
     "cobv.valor.desconto.descontoDataFixa"),
])
def test_every_rule_names_its_field(cobv: Terms, field: str) -> None:
    assert field in [name for name, _ in check_terms(cobv, created_on=TODAY)]


def test_valid_terms_have_no_problem() -> None:
    cobv = terms(multa=Rule(2, Decimal("2.00")), juros=Rule(8, Decimal("12.00")),
                 abatimento=Rule(1, Decimal("99.99")),
                 desconto=Discount(1, None, ((date(2026, 3, 10), Decimal("99.99")),)))
    assert check_terms(cobv, created_on=TODAY) == []


def test_valor_shape_problems_are_all_named() -> None:
    problems: list[tuple[str, str]] = []
    parse_valor({"original": "1", "multa": {"modalidade": 0, "valorPerc": 2},
                 "desconto": {"modalidade": 1, "descontoDataFixa": [{"data": "2026-02-30",
                                                                      "valorPerc": "1.00"}]},
                 "retirada": {}}, problems, allow=frozenset({"multa", "desconto"}))
    assert [name for name, _ in problems] == [
        "cobv.valor.retirada", "cobv.valor.original", "cobv.valor.multa.modalidade",
        "cobv.valor.multa.valorPerc", "cobv.valor.desconto.descontoDataFixa[0].data"]
