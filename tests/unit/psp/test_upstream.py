"""The cobv bodies pixgate sends a PSP are BCB's CobVSolicitada and CobVRevisada."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pixgate.cobv.terms import Discount, Rule, Terms, terms_to_json
from pixgate.psp import upstream
from tests.bcb_schema import assert_matches

DEBTOR = {"cpf": "12345678909", "nome": "Francisco da Silva"}
TERMS = Terms(original=Decimal("123.45"), due_date=date(2027, 3, 31), validity_days=15,
              multa=Rule(2, Decimal("2.00")), juros=Rule(2, Decimal("0.33")),
              abatimento=Rule(1, Decimal("5.00")),
              desconto=Discount(1, dates=((date(2027, 3, 20), Decimal("10.00")),)))


def _body(**changes: object) -> dict:
    values: dict = dict(original=TERMS.original, parts=terms_to_json(TERMS),
                        due_date=TERMS.due_date, validity_days=TERMS.validity_days,
                        key="pagamentos@pixgate.example", debtor=DEBTOR,
                        payer_request="Mensalidade de março",
                        extra_info=[{"nome": "Turma", "valor": "5B"}])
    values.update(changes)
    return upstream.cobv_body(**values)


def test_a_new_cobv_is_a_whole_cobvsolicitada_with_every_part_of_valor() -> None:
    body = _body()
    assert_matches(body, "CobVSolicitada")
    assert body["calendario"] == {"dataDeVencimento": "2027-03-31", "validadeAposVencimento": 15}
    assert body["valor"] == {
        "original": "123.45", "multa": {"modalidade": 2, "valorPerc": "2.00"},
        "juros": {"modalidade": 2, "valorPerc": "0.33"},
        "abatimento": {"modalidade": 1, "valorPerc": "5.00"},
        "desconto": {"modalidade": 1, "descontoDataFixa": [{"data": "2027-03-20",
                                                           "valorPerc": "10.00"}]}}
    assert (body["devedor"], body["solicitacaoPagador"]) == (DEBTOR, "Mensalidade de março")


def test_the_amount_always_has_two_decimals_and_empty_fields_are_left_out() -> None:
    body = _body(original=Decimal("7.5"), parts={}, payer_request=None, extra_info=None)
    assert_matches(body, "CobVSolicitada")
    assert body["valor"] == {"original": "7.50"}
    assert set(body) == {"calendario", "valor", "chave", "devedor"}


def test_a_revision_sends_only_the_fields_the_client_sent() -> None:
    body = _body(only=frozenset({"valor", "solicitacaoPagador"}))
    assert_matches(body, "CobVRevisada")
    assert set(body) == {"valor", "solicitacaoPagador"}
    assert set(_body(only=frozenset({"loc"}))) == set()  # never a location of pixgate's
