"""Percentiles and markdown tables, shared by every benchmark."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of `values`; NaN when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary_ms(latencies_s: Sequence[float]) -> dict[str, float]:
    """p50/p90/p99/max in milliseconds, the figures every table shows."""
    return {
        "p50_ms": percentile(latencies_s, 50) * 1000,
        "p90_ms": percentile(latencies_s, 90) * 1000,
        "p99_ms": percentile(latencies_s, 99) * 1000,
        "max_ms": max(latencies_s) * 1000 if latencies_s else math.nan,
    }


def _cell(value: object) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(title: str, columns: Sequence[str], rows: Sequence[dict[str, object]]) -> str:
    """A markdown table: one row per dict, columns in the given order."""
    lines = [f"### {title}", "", "| " + " | ".join(columns) + " |",
             "|" + "|".join("---:" for _ in columns) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(_cell(row.get(c, "")) for c in columns) + " |")
    return "\n".join(lines) + "\n"
