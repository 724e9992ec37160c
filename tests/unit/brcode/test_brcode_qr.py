"""QR rendering: PNG and SVG decode back to exactly the code; level M, minimal byte-mode version."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import segno

from pixgate.brcode import BRCodeError, encode_static, make_qr, qr_png, qr_svg

zxingcpp = pytest.importorskip("zxingcpp")
Image = pytest.importorskip("PIL.Image")

SVG_NS = "{http://www.w3.org/2000/svg}"
LONG = encode_static(
    key="a" * 64 + "@" + "b" * 8 + ".com",
    name="N" * 25,
    city="C" * 15,
    amount=Decimal("9999999999.99"),
    txid="T" * 25,
    postal_code="01310100",
    reusable=True,
)
NON_ASCII = (
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR"
    "5913Fulano de Tal6008BRASÍLIA62070503***6304B4F6"
)


def _codes(golden: str, dynamic_code: str) -> list[str]:
    return [golden, dynamic_code, LONG, NON_ASCII]


def _read(image: object) -> str:
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    assert results[0].ec_level == "M"
    return results[0].text


def test_png_decodes_to_the_exact_code(golden: str, dynamic_code: str) -> None:
    for code in _codes(golden, dynamic_code):
        png = qr_png(code)
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert _read(Image.open(io.BytesIO(png))) == code


def test_error_level_m_minimal_version_byte_mode(golden: str, dynamic_code: str) -> None:
    for code in _codes(golden, dynamic_code):
        qr = make_qr(code)
        assert (qr.error, qr.mode, qr.is_micro) == ("M", "byte", False)
        data = code.encode("utf-8")
        if qr.version > 1:
            with pytest.raises(segno.DataOverflowError):
                segno.make_qr(
                    data, mode="byte", error="m", boost_error=False, version=qr.version - 1
                )


def _svg_matrix(svg: str) -> tuple[list[list[int]], int]:
    """Rasterise segno's path ("M x y h n m dx dy ...") back into modules (1 = dark)."""
    root = ET.fromstring(svg)  # noqa: S314 (our own markup)
    path = root.find(f"{SVG_NS}path")
    assert path is not None
    scale = int(re.fullmatch(r"scale\((\d+)\)", path.get("transform", "scale(1)"))[1])
    size = int(root.get("width")) // scale
    grid = [[0] * size for _ in range(size)]
    x = y = 0.0
    for op, args in re.findall(r"([MmHhVv])([^MmHhVvZz]*)", path.get("d")):
        nums = [float(n) for n in args.replace(",", " ").split()]
        if op == "M":
            x, y = nums
        elif op == "m":
            x, y = x + nums[0], y + nums[1]
        elif op == "h":
            for col in range(int(x), int(x + nums[0])):
                grid[int(y)][col] = 1
            x += nums[0]
        else:
            pytest.fail(f"unexpected path command {op}")
    return grid, scale


def test_svg_is_wellformed_accessible_and_scans(golden: str, dynamic_code: str) -> None:
    for code in _codes(golden, dynamic_code):
        svg = qr_svg(code)
        assert not svg.startswith("<?xml")
        root = ET.fromstring(svg)  # noqa: S314 (our own markup)
        assert root.tag == f"{SVG_NS}svg"
        assert root.get("role") == "img"
        assert root.get("aria-label")
        grid, scale = _svg_matrix(svg)
        assert scale == 4
        qr = make_qr(code)
        border = 4
        inner = [row[border:-border] for row in grid[border:-border]]
        assert inner == [[int(bool(m)) for m in row] for row in qr.matrix]
        assert all(not any(row) for row in grid[:border] + grid[-border:]), "quiet zone"
        image = Image.new("L", (len(grid) * 4, len(grid) * 4), 255)
        pixels = image.load()
        for r, row in enumerate(grid):
            for c, dark in enumerate(row):
                if dark:
                    for dy in range(4):
                        for dx in range(4):
                            pixels[c * 4 + dx, r * 4 + dy] = 0
        assert _read(image) == code


def test_png_size_follows_scale_and_border(golden: str) -> None:
    qr = make_qr(golden)
    width = Image.open(io.BytesIO(qr_png(golden, scale=3, border=5))).size[0]
    assert width == (qr.symbol_size(scale=1, border=0)[0] + 10) * 3


@pytest.mark.parametrize(
    "bad",
    [None, 123, b"abc", "", "x" * 513, "abc\ud800"],
)
def test_bad_code_raises_brcode_error(bad: object) -> None:
    for render in (qr_png, qr_svg):
        with pytest.raises(BRCodeError):
            render(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"scale": 0},
        {"scale": -1},
        {"scale": 1.5},
        {"scale": True},
        {"border": 3},
        {"border": "4"},
        {"scale": 10**6},
    ],
)
def test_bad_sizes_raise_brcode_error(golden: str, kwargs: dict[str, object]) -> None:
    for render in (qr_png, qr_svg):
        with pytest.raises(BRCodeError):
            render(golden, **kwargs)  # type: ignore[arg-type]
