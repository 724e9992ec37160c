"""pixgate against the reference app, side by side: same load generators, same warm-up, one run.

Each round starts the reference app and then pixgate (A/B, A/B...: the machine is shared, so
interleaving spreads its noise over both), each on a fresh MariaDB database, and runs on each:
a warm-up burst, create at C=1 and at C=32 (server CPU per create from /proc over the C=32
run), and K pages with one confirmation each in sequence (HTTP p50 of the confirmation, and the
delay from sending it to the page's socket receiving `payment-confirmed-<id>`). pixgate gets
every other confirmation as a PSP callback (`/webhooks/pix`); the reference has only the seed
route. The table gives each figure's range over the rounds and the ratio's range, round by round.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench import reference, server
from bench.scenarios import run_json

TICKS = os.sysconf("SC_CLK_TCK")
SYSTEMS = ("reference", "pixgate")
# (figure, higher is better, target ratio pixgate / reference, what the issue asks)
TARGETS: list[tuple[str, bool, float | None]] = [
    ("create C=1 req/s", True, 0.75),
    ("create C=32 req/s", True, 0.75),
    ("create C=32 p99 ms", False, None),
    ("server CPU ms per create", False, 1.4),
    ("confirm HTTP p50 ms (seed route)", False, 2.0),
    ("confirm HTTP p50 ms (/webhooks/pix)", False, 2.0),
    ("notify p99 ms", False, 2.0),
    ("notify p50 ms", False, None),
]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes have used (utime and stime of /proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


@contextlib.contextmanager
def running(system: str, tmp: Path, workers: int, redis: bool) -> Iterator[server.Servers]:
    """One system's servers on a fresh database, stopped and dropped afterwards."""
    databases = reference.fresh_database() if system == "reference" else server.fresh_database()
    with databases as url:
        if system == "reference":
            servers = reference.start(url, tmp, workers=workers, redis=redis)
        else:
            servers = server.start(url, tmp, workers=workers, redis=redis)
        try:
            yield servers
        finally:
            servers.stop()


def loadgen(ports: list[int], concurrency: int, seconds: float, warmup: float) -> dict[str, Any]:
    """One closed-loop run of POST /payments/pix."""
    args = [arg for port in ports for arg in ("--port", str(port))]
    return run_json("bench.loadgen", *args, "--concurrency", str(concurrency),
                    "--seconds", str(seconds), "--warmup", str(warmup), timeout=seconds + 120)


def measure(system: str, servers: server.Servers, seconds: float,
            subscribers: int) -> dict[str, float]:
    """The figures of one system in one round."""
    figures: dict[str, float] = {}
    loadgen(servers.ports, 64, 2.0, 0.0)  # the README's warm-up: a burst that opens the pool
    if seconds > 0:  # --seconds 0: notify only
        figures.update(creates(servers, seconds))
    if not subscribers:
        return figures  # --subscribers 0: create only
    args = [arg for port in servers.ports for arg in ("--port", str(port))]
    args += ["--no-status"] if system == "reference" else ["--webhook-every", "2"]
    notify = run_json("bench.notify_client", *args, "--subscribers", str(subscribers),
                      "--secret", servers.secret, timeout=900)
    figures["confirm HTTP p50 ms (seed route)"] = notify["seed_http_p50_ms"]
    if system == "pixgate":
        figures["confirm HTTP p50 ms (/webhooks/pix)"] = notify["webhook_http_p50_ms"]
    figures["notify p99 ms"] = notify["p99_ms"]
    figures["notify p50 ms"] = notify["p50_ms"]
    figures["notify delivered"] = notify["delivered"]
    figures["notify missed+wrong+duplicated+failed"] = (
        notify["missed"] + notify["wrong"] + notify["duplicates"] + notify["http_errors"]
        + notify["connect_failures"])
    return figures


def creates(servers: server.Servers, seconds: float) -> dict[str, float]:
    """Create at C=1 and C=32; the workers' CPU over the C=32 run, per create answered."""
    c1 = loadgen(servers.ports, 1, seconds, 1.0)
    workers = servers.workers()
    before = cpu_seconds(workers)
    c32 = loadgen(servers.ports, 32, seconds, 1.0)
    used = cpu_seconds(workers) - before
    return {"create C=1 req/s": c1["rps"], "create C=32 req/s": c32["rps"],
            "create C=32 p99 ms": c32["p99_ms"],
            "server CPU ms per create": used * 1000 / max(c32["completed"], 1)}


def run(rounds: int, seconds: float, subscribers: int, workers: int, redis: bool,
        log: Callable[[str], None] = print) -> list[dict[str, dict[str, float]]]:
    """`rounds` A/B rounds; each a {system: figures} dict."""
    results = []
    for number in range(rounds):
        result: dict[str, dict[str, float]] = {}
        for system in SYSTEMS:
            load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
            with tempfile.TemporaryDirectory() as tmp, \
                    running(system, Path(tmp), workers, redis) as servers:
                result[system] = measure(system, servers, seconds, subscribers)
            result[system]["load average before"] = float(load.split()[0])
            log(f"<!-- round {number + 1} {system}: {result[system]} (load {load}) -->")
        results.append(result)
    return results


def _range(values: list[float], digits: int = 1) -> str:
    low, high = min(values), max(values)
    if round(low, digits) == round(high, digits):
        return f"{low:,.{digits}f}"
    return f"{low:,.{digits}f}\u2013{high:,.{digits}f}"


def table(title: str, results: list[dict[str, dict[str, float]]]) -> str:
    """Markdown: each figure's range per system, the per-round ratio range, the target."""
    lines = [f"### {title}", "", "| figure | reference | pixgate | pixgate ÷ reference | target "
             "| met in every round |", "|---|---:|---:|---:|---:|---|"]
    for name, higher_better, target in TARGETS:
        pix = [r["pixgate"][name] for r in results if name in r["pixgate"]]
        if not pix:
            continue
        ref_name = name if name in results[0]["reference"] else \
            "confirm HTTP p50 ms (seed route)"  # the reference has only the seed route
        ref = [r["reference"][ref_name] for r in results]
        ratios = [r["pixgate"][name] / r["reference"][ref_name] for r in results]
        digits = 2 if "CPU" in name else 1
        if target is None:
            goal, met = "", ""
        else:
            goal = f"{'≥' if higher_better else '≤'} {target:g}\u00d7"
            ok = [(x >= target) if higher_better else (x <= target) for x in ratios]
            met = "yes" if all(ok) else ("no" if not any(ok) else f"{sum(ok)} of {len(ok)}")
        lines.append(f"| {name} | {_range(ref, digits)} | {_range(pix, digits)} | "
                     f"{_range(ratios, 2)} | {goal} | {met} |")
    for name in ("notify delivered", "notify missed+wrong+duplicated+failed",
                 "load average before"):
        if name not in results[0]["pixgate"]:
            continue
        digits = 2 if name.startswith("load") else 0
        cells = [_range([r[system][name] for r in results], digits) for system in SYSTEMS]
        lines.append(f"| {name} | {cells[0]} | {cells[1]} | | | |")
    return "\n".join(lines) + "\n"
