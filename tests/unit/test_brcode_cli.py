"""`pixgate brcode decode|encode` from the shell."""

from __future__ import annotations

import io
import json
from pathlib import Path

import zxingcpp
from click.testing import CliRunner
from PIL import Image

from pixgate import brcode
from pixgate.commands.brcode import brcode as group

GOLDEN = ("00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802"
          "BR5913Fulano de Tal6008BRASILIA62070503***63041D3D")


def test_decode_prints_fields_as_json() -> None:
    result = CliRunner().invoke(group, ["decode", GOLDEN])
    assert result.exit_code == 0, result.output
    fields = json.loads(result.stdout)
    assert fields["merchant_name"] == "Fulano de Tal" and fields["crc"] == "1D3D"


def test_decode_lists_every_violation_and_exits_1() -> None:
    broken = GOLDEN[:-4] + "0000"
    result = CliRunner().invoke(group, ["decode", broken])
    assert result.exit_code == 1
    assert "crc" in result.stderr.lower()


def test_lenient_mode_reads_real_world_amounts() -> None:
    body = GOLDEN.replace("5802BR", "540210" + "5802BR")[:-8]
    code = body + "6304" + brcode.crc16(body + "6304")
    assert CliRunner().invoke(group, ["decode", code]).exit_code == 1
    lenient = CliRunner().invoke(group, ["decode", "--lenient", code])
    assert lenient.exit_code == 0, lenient.output
    assert json.loads(lenient.stdout)["transaction_amount"] == "10"


def test_encode_prints_a_code_and_writes_qr_images(tmp_path: Path) -> None:
    png, svg = tmp_path / "qr.png", tmp_path / "qr.svg"
    args = ["encode", "--key", "Loja@Example.com", "--name", "Padaria São João",
            "--city", "Brasília", "--amount", "12.30", "--txid", "PEDIDO42"]
    result = CliRunner().invoke(group, [*args, "--qr", str(png)])
    assert result.exit_code == 0, result.output
    code = result.stdout.strip()
    decoded = brcode.decode(code)
    assert (decoded.pix_key, decoded.merchant_name, decoded.merchant_city) == (
        "loja@example.com", "Padaria Sao Joao", "Brasilia")
    assert str(decoded.amount) == "12.30" and decoded.txid == "PEDIDO42"
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.read_bytes())))
    assert [r.text for r in found] == [code]
    assert CliRunner().invoke(group, [*args, "--qr", str(svg)]).exit_code == 0
    assert svg.read_text().lstrip().startswith("<svg")


def test_encode_refuses_bad_input_with_the_field() -> None:
    result = CliRunner().invoke(group, ["encode", "--key", "nope", "--name", "X", "--city", "Y"])
    assert result.exit_code != 0 and "pix_key" in result.output
    result = CliRunner().invoke(group, ["encode", "--key", "a@b.com", "--name", "X",
                                        "--city", "Y", "--amount", "abc"])
    assert result.exit_code != 0 and "--amount" in result.output


def _with_key(key: str) -> str:
    body = ("00020126" + f"{22 + len(key):02d}" + "0014br.gov.bcb.pix01" + f"{len(key):02d}" + key
            + "52040000530398654041.005802BR5913Fulano de Tal6008BRASILIA62070503***6304")
    return body + brcode.crc16(body)


def test_a_cpf_key_with_wrong_check_digits_fails_strict_decode_and_warns_lenient() -> None:
    code = _with_key("12345678900")
    strict = CliRunner().invoke(group, ["decode", code])
    assert strict.exit_code == 1
    assert "key_check_digits" in strict.stderr and "CPF check digits" in strict.stderr
    lenient = CliRunner().invoke(group, ["decode", "--lenient", code])
    assert lenient.exit_code == 0, lenient.output
    assert [w["rule"] for w in json.loads(lenient.stdout)["warnings"]] == ["key_check_digits"]
    assert CliRunner().invoke(group, ["decode", _with_key("12345678909")]).exit_code == 0


def test_encode_amounts_go_through_the_one_money_parser() -> None:
    base = ["encode", "--key", "pagamentos@loja.com.br", "--name", "Loja", "--city", "Recife"]
    assert CliRunner().invoke(group, [*base, "--amount", "12.50"]).exit_code == 0
    for bad in ("12.5", "100.0000000000000000000000000001", "1e3", "-1.00", "0.00"):
        result = CliRunner().invoke(group, [*base, "--amount", bad])
        assert result.exit_code == 2, (bad, result.output)
        assert "--amount" in result.output
