"""QR images: creating a payment renders none; the first request renders, later ones hit a cache.

Run: python -m bench.bench_qr_cache  (prints a markdown table; SQLite in a temp folder)
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from pixgate.app import MIGRATIONS, create_app
from pixgate.config import Config

ROUNDS = 200


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    return f"{statistics.median(ordered) * 1e3:.3f} | {p99 * 1e3:.3f}"


def main() -> int:
    """Time create, first image request and cached image requests through the full stack."""
    with tempfile.TemporaryDirectory(prefix="pixgate-bench-") as tmp:
        return _run(Path(tmp))


def _run(folder: Path) -> int:
    app = create_app(Config(INSTANCE_PATH=str(folder), DATABASE_URL=f"sqlite:///{folder}/b.db",
                            LOG_LEVEL="WARNING"))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
    client = app.test_client()
    create, first, cached, svg_cached = [], [], [], []
    for n in range(ROUNDS):
        started = time.perf_counter()
        payment = client.post("/payments/pix", json={"value": f"{n + 1}.00"}).get_json()["payment"]
        create.append(time.perf_counter() - started)
        url = f"/payments/pix/qr_code/{payment['qr_code']}"
        for bucket, path in ((first, url), (cached, url), (svg_cached, url + ".svg")):
            if bucket is svg_cached:
                client.get(path)
            started = time.perf_counter()
            assert client.get(path).status_code == 200
            bucket.append(time.perf_counter() - started)
    from pixgate.web import qr

    code = payment["brcode"]
    started = time.perf_counter()
    for _ in range(10_000):
        qr.render(code, "png")
    lookup_us = (time.perf_counter() - started) / 10_000 * 1e6
    print(f"QR images through Flask's test client, SQLite, {ROUNDS} payments\n")
    print("| request | median ms | p99 ms |")
    print("|---|---:|---:|")
    print(f"| POST /payments/pix (renders no image) | {_ms(create)} |")
    print(f"| first GET of the PNG (renders it) | {_ms(first)} |")
    print(f"| later GET of the PNG (cache hit) | {_ms(cached)} |")
    print(f"| later GET of the SVG (cache hit) | {_ms(svg_cached)} |")
    print(f"\nThe cache lookup itself: {lookup_us:.2f} µs per hit (the rest is HTTP and the "
          "txid lookup in the database).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
