"""PSP answers read leniently where PSPs differ harmlessly, strictly where money is concerned."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pixgate.psp import normalise
from pixgate.psp.base import PspError
from pixgate.psp.profiles import PROFILES

PIX = {"endToEndId": "E1234567820261201103000000000001", "txid": "a" * 30, "valor": "10.00",
       "horario": "2026-12-01T10:30:00.123Z"}


def test_brcode_and_loc_location_are_read_as_bcb_names() -> None:
    sicoob = normalise.cob("get_cob", {"txid": "a" * 30, "status": "ATIVA", "brcode": "000201X",
                                       "valor": {"original": "1.50"},
                                       "loc": {"location": "psp.example/qr/1"}})
    assert (sicoob.pix_copia_e_cola, sicoob.location, sicoob.revision) == (
        "000201X", "psp.example/qr/1", 0)
    assert sicoob.amount == Decimal("1.50")


def test_a_pix_is_exact_and_complete_or_refused() -> None:
    pix = normalise.pix("get_pix", {**PIX, "valor": Decimal("10.10")})
    assert pix.amount == Decimal("10.10") and pix.paid_at.microsecond == 123000
    assert pix.paid_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    for broken in ({**PIX, "endToEndId": ""}, {**PIX, "valor": "dez"}, {**PIX, "valor": "-1"},
                   {k: v for k, v in PIX.items() if k != "horario"}, ["not", "an", "object"]):
        with pytest.raises(PspError) as caught:
            normalise.pix("get_pix", broken)
        assert caught.value.status == 502 and caught.value.operation == "get_pix"


def test_list_pages_always_end() -> None:
    page = normalise.pix_page("list_pix", {"parametros": {"paginacao": {
        "paginaAtual": 2, "quantidadeDePaginas": 0}}, "pix": [PIX]})
    assert (page.page, page.pages, len(page.pix)) == (2, 1, 1)


def test_webhook_bodies_bcb_or_bare_array() -> None:
    assert normalise.webhook_items({"pix": [PIX, "junk"]}) == [PIX]
    assert normalise.webhook_items([PIX]) == [PIX]  # Inter, as reported
    assert normalise.webhook_items({"other": 1}) == []
    assert normalise.webhook_items("text") == []


@pytest.mark.parametrize(("body", "text", "expected"), [
    ({"title": "Cobrança inválida.", "violacoes": [{"propriedade": "valor", "razao": "ruim"}]},
     "", "Cobrança inválida.; valor: ruim"),
    ({"erros": [{"codigo": "4769515", "mensagem": "Txid inválido"}]}, "", "Txid inválido"),
    ({"statusCode": 401, "error": "Unauthorized", "message": "token expirado"}, "",
     "token expirado"),
    (None, "<html>Bad Gateway</html>", "<html>Bad Gateway</html>"),
])
def test_errors_of_every_shape_become_one_line(body: object, text: str, expected: str) -> None:
    assert normalise.problem(body, text) == expected


def test_profiles_are_data_with_documented_hosts() -> None:
    for name, profile in PROFILES.items():
        assert profile.name == name and profile.title
        assert profile.token.credentials in ("basic", "form")
        assert profile.token.body in ("form", "json")
        for url in (profile.production, profile.production_oauth, profile.homologation,
                    profile.homologation_oauth):
            assert url is None or url.startswith("https://")
