"""Throughput of pixgate.brcode on one core, pure Python: prints a markdown table.

Run: python bench/bench_brcode.py [--seconds 2] [--check]
Each measurement stops after --max-iterations or --seconds, whichever comes first.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

try:
    import pixgate.brcode as pix
except ImportError:  # not installed: use the source tree next to this file
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import pixgate.brcode as pix

TARGETS = {"encode_static": 50_000, "decode (strict)": 50_000}

STATIC_ARGS = [
    {"key": "123e4567-e12b-12d1-a456-426655440000", "name": "Fulano de Tal", "city": "BRASILIA"},
    {
        "key": "fulano@example.com",
        "name": "Padaria São João",
        "city": "São Paulo",
        "amount": Decimal("12.34"),
        "txid": "PEDIDO000123",
        "info": "Pedido 123",
        "reusable": False,
    },
    {
        "key": "+5511999990000",
        "name": "Loja Exemplo Ltda",
        "city": "Belo Horizonte",
        "amount": Decimal("1999.90"),
        "txid": "A1B2C3D4E5F6G7H8I9J0K1L2M",
    },
    {"key": "11222333000181", "name": "Empresa SA", "city": "Recife", "amount": Decimal("5")},
]


def _codes() -> list[str]:
    codes = [pix.encode_static(**args) for args in STATIC_ARGS]
    codes.append(
        pix.encode_dynamic(
            url="pix.example.com/qr/v2/8b3da2f39a4140d1a91abd93113bd441",
            name="Fulano de Tal",
            city="BRASILIA",
        )
    )
    return codes


def measure(func: Callable[[int], object], max_iterations: int, seconds: float) -> float:
    """Operations per second of func(i), run in batches until a bound is hit."""
    done = 0
    batch = 100
    start = time.perf_counter()
    deadline = start + seconds
    while done < max_iterations:
        for i in range(done, done + batch):
            func(i)
        done += batch
        if time.perf_counter() >= deadline:
            break
    return done / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--max-iterations", type=int, default=200_000)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    codes = _codes()
    n_args, n_codes = len(STATIC_ARGS), len(codes)
    limit, secs = args.max_iterations, args.seconds
    qr_limit = max(1, limit // 1000)

    rows: list[tuple[str, float]] = [
        (
            "encode_static",
            measure(lambda i: pix.encode_static(**STATIC_ARGS[i % n_args]), limit, secs),
        ),
        ("decode (strict)", measure(lambda i: pix.decode(codes[i % n_codes]), limit, secs)),
        ("validate", measure(lambda i: pix.validate(codes[i % n_codes]), limit, secs)),
        ("qr_svg", measure(lambda i: pix.qr_svg(codes[i % n_codes]), qr_limit, secs)),
        ("qr_png", measure(lambda i: pix.qr_png(codes[i % n_codes]), qr_limit, secs)),
    ]
    print(f"pixgate.brcode on Python {sys.version.split()[0]}, one core, pure Python\n")
    print("| operation | ops/s | µs (ms) per op | target | ok |")
    print("|---|---:|---:|---:|:--:|")
    missed = False
    for name, rate in rows:
        target = TARGETS.get(name)
        per_op = f"{1e3 / rate:.2f} ms" if name.startswith("qr_") else f"{1e6 / rate:.1f} µs"
        ok = "" if target is None else ("yes" if rate >= target else "NO")
        missed |= ok == "NO"
        shown = "-" if target is None else f"{target:,}"
        print(f"| {name} | {rate:,.0f} | {per_op} | {shown} | {ok} |")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
