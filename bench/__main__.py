"""`python -m bench [create|notify|capacity|brcode|qr|psp|compare|all]`: run benchmarks, print
tables.

compare runs pixgate and the reference app (../shared/reference) side by side and prints the
ratios; it is not part of `all`, which measures pixgate alone.

brcode and qr are the in-process benchmarks of bench_brcode.py and bench_qr_cache.py; psp
(bench_psp.py) creates cobs at a local PSP (pixgate's sandbox behind mutual TLS). The
server benchmarks (create, notify, capacity) each start their own `pixgate serve` processes
on free ports against a fresh MariaDB database (`pixgate_bench_<random>`, dropped at the
end) and Redis. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from pathlib import Path

from bench import capacity, compare, reference, scenarios
from bench.stats import table

HERE = Path(__file__).resolve().parent


def load_note() -> str:
    """The machine's load average just before a server benchmark (other work skews results)."""
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return f"_load average before this run: {load}_\n"


def machine() -> str:
    """The lines that make a result reproducible: CPU, memory, versions."""
    import gevent
    import gunicorn
    from sqlalchemy import create_engine, text

    from bench.server import MARIADB

    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    engine = create_engine(MARIADB)
    with engine.connect() as conn:
        mariadb = conn.scalar(text("SELECT VERSION()"))
    engine.dispose()
    load = Path("/proc/loadavg").read_text().split()[:3]
    return (f"- CPU: {cpu}, {os.cpu_count()} cores; RAM {mem_kib / 1024**2:.0f} GiB; "
            f"kernel {platform.release()}; load average at start {' '.join(load)}\n"
            f"- Python {platform.python_version()}, gunicorn {gunicorn.__version__}, "
            f"gevent {gevent.__version__}, MariaDB {mariadb}\n")


def main(argv: list[str] | None = None) -> int:
    """Parse the flags and run the chosen benchmarks (all by default)."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("which", nargs="*", metavar="BENCHMARK",
                        help="create, notify, capacity, brcode, qr, psp or all (the default)")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--seconds", type=float, help="create: measured seconds per row")
    parser.add_argument("--processes", default="1,2", help="create: server process counts")
    parser.add_argument("--subscribers", help="notify: K values, comma-separated")
    parser.add_argument("--connections", type=int, help="capacity: pages to hold")
    parser.add_argument("--hold", type=float, help="capacity: seconds to hold them")
    parser.add_argument("--rounds", type=int, default=2,
                        help="compare: A/B rounds (reference, then pixgate) per setup")
    parser.add_argument("--setups", default="1,2",
                        help="compare: 1 = one worker, no Redis; 2 = two workers with Redis")
    args = parser.parse_args(argv)
    everything = {"create", "notify", "capacity", "brcode", "qr", "psp"}
    unknown = set(args.which) - everything - {"all", "compare"}
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    chosen = everything if not args.which or "all" in args.which else set(args.which)
    print("## pixgate benchmarks\n\n" + machine())
    if "compare" in args.which:
        return run_compare(args)
    if "brcode" in chosen:
        subprocess.run([sys.executable, str(HERE / "bench_brcode.py")], check=False)
    if "qr" in chosen:
        subprocess.run([sys.executable, "-m", "bench.bench_qr_cache"], check=False)
    if "psp" in chosen:
        creates = "100" if args.quick else "300"
        subprocess.run([sys.executable, "-m", "bench.bench_psp", "--creates", creates],
                       check=False)
    if "create" in chosen:
        seconds = args.seconds or (3.0 if args.quick else 10.0)
        processes = [int(n) for n in args.processes.split(",")]
        note = load_note()
        rows, per_create = scenarios.create(seconds, (1, 8, 32), processes)
        print(table(f"create: POST /payments/pix, {seconds:g} s per row (target at C=32: "
                    "≥700/s, p99 ≤50 ms)",
                    ["processes", "concurrency", "requests", "rps", "p50_ms", "p90_ms", "p99_ms",
                     "max_ms", "errors", "target"], rows) + note, flush=True)
        print(table("create: what one POST /payments/pix asks of MariaDB (global counters, "
                    "300 sequential creates)", list(per_create), [per_create]), flush=True)
    if "notify" in chosen:
        default = "1,100" if args.quick else "1,100,1000,5000"
        counts = [int(n) for n in (args.subscribers or default).split(",")]
        note = load_note()
        rows = scenarios.notify(counts)
        print(table("notify: one confirmation per subscriber, in sequence; POST sent → event "
                    "received (target at K=1,000: p99 ≤20 ms, none missed or misdelivered)",
                    ["subscribers", "delivered", "missed", "wrong", "duplicates", "p50_ms",
                     "p90_ms", "p99_ms", "max_ms", "http_p99_ms", "connect_s", "target"], rows)
              + note, flush=True)
    if "capacity" in chosen:
        connections = args.connections or (1000 if args.quick else 10_000)
        hold = args.hold or (12.0 if args.quick else 60.0)
        note = load_note()
        result = capacity.run(connections, batch=max(connections // 10, 1), hold=hold,
                              load_seconds=min(10.0, hold / 2))
        print(table(f"capacity: open WebSocket pages in batches up to {connections:,}",
                    ["connections", "batch_s", "failures", "rss_mib", "kib_per_conn", "fds"],
                    result["batches"]), flush=True)
        summary = result["summary"]
        print(table(f"capacity: held {summary['held_s']:.0f} s, POST /payments/pix at C=8 "
                    "meanwhile, then all closed (targets: ≤200 KiB/conn, p99 ≤50 ms, HTTP ≤1 s)",
                    list(summary), [summary]) + note, flush=True)
    return 0


def run_compare(args: argparse.Namespace) -> int:
    """pixgate and the reference app, A/B rounds, one table of ratios per setup."""
    missing = reference.available()
    if missing:
        print(f"compare needs the reference app: {missing}", file=sys.stderr)
        return 2
    seconds = args.seconds if args.seconds is not None else (3.0 if args.quick else 8.0)
    subscribers = int(args.subscribers or (200 if args.quick else 1000))
    setups = {"1": (1, False, "1 worker each, no Redis"),
              "2": (2, True, "2 workers each, Redis message queue")}
    for key in args.setups.split(","):
        workers, redis, label = setups[key]
        note = load_note()
        results = compare.run(args.rounds, seconds, subscribers, workers, redis)
        print(compare.table(f"pixgate vs reference_app, {label}: create {seconds:g} s per "
                            f"concurrency, notify K={subscribers:,}, {args.rounds} A/B rounds",
                            results) + note + "_load average after: "
              + " ".join(Path("/proc/loadavg").read_text().split()[:3]) + "_\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
