"""Bench fixtures: a throw-away MariaDB database and `pixgate serve` processes on free ports."""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

MARIADB = os.environ.get("PIXGATE_BENCH_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/")
REDIS = os.environ.get("PIXGATE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    """CREATE DATABASE pixgate_bench_<random>, yield its URL, DROP it afterwards."""
    server = make_url(MARIADB)
    name = f"pixgate_bench_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE `{name}`"))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        admin.dispose()


def start_ids_at_random(database_url: str) -> None:
    """Payment ids far from 1: Socket.IO's Redis channel is shared by everything on that Redis,
    and a test run on a fresh database would otherwise use the same ids, so the same rooms."""
    engine = create_engine(database_url)
    with engine.begin() as conn:
        first_id = 10**7 + secrets.randbelow(10**9)
        conn.execute(text(f"ALTER TABLE charges AUTO_INCREMENT = {first_id}"))
    engine.dispose()


def free_ports(count: int) -> int:
    """The first of `count` consecutive ports nobody listens on (bounded search), below the
    ephemeral range: a probe of a closed ephemeral port can connect to itself."""
    for _ in range(200):
        first = 20000 + secrets.randbelow(12000 - count)
        try:
            for port in range(first, first + count):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        return first
    raise RuntimeError("no free consecutive ports found")


def http_get(port: int, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
    """One plain GET (the orchestrator is not gevent-patched)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@dataclass
class Servers:
    """A running `pixgate serve --workers N`: its ports, log and processes."""

    process: subprocess.Popen[bytes]
    ports: list[int]
    log: Path
    secret: str
    env: dict[str, str] = field(default_factory=dict)

    def workers(self) -> list[int]:
        """PIDs of the gunicorn worker processes (the leaves under the launched process)."""
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError, ValueError):
                    stat = (entry / "stat").read_text()
                    parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        tree, frontier = set(), [self.process.pid]
        while frontier:
            pid = frontier.pop()
            tree.add(pid)
            frontier.extend(child for child, parent in parents.items() if parent == pid)
        has_children = {parents[pid] for pid in tree if pid in parents}
        return sorted(pid for pid in tree if pid not in has_children)

    def stop(self) -> None:
        """SIGTERM the process group, then SIGKILL after 20 s."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


COUNTERS = ("Questions", "Com_insert", "Com_select", "Com_commit", "Com_rollback",
            "Com_admin_commands")


def _mariadb_counters() -> dict[str, int]:
    engine = create_engine(make_url(MARIADB), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        rows = conn.execute(text("SHOW GLOBAL STATUS")).all()
    engine.dispose()
    values = {name: int(value) for name, value in rows if name in COUNTERS}
    values["Questions"] -= 1  # this SHOW itself
    return values


def statements_per_create(port: int, samples: int = 300) -> dict[str, float]:
    """Sequential creates, and MariaDB's global counters before and after, per create
    (pings show as Com_admin_commands; background loops add a little on a shared server)."""
    before = _mariadb_counters()
    for n in range(samples):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("POST", "/payments/pix", body=f'{{"value": {n + 1}.00}}',
                         headers={"Content-Type": "application/json"})
            conn.getresponse().read()
        finally:
            conn.close()
    after = _mariadb_counters()
    return {name: round((after[name] - before[name]) / samples, 2) for name in COUNTERS}


def rss_kib(pid: int) -> int:
    """Resident set size of a process, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def open_fds(pid: int) -> int:
    """Descriptors the process holds (sockets included)."""
    return len(os.listdir(f"/proc/{pid}/fd"))


def start(database_url: str, workdir: Path, *, workers: int = 1, redis: bool = True,
          extra_env: dict[str, str] | None = None) -> Servers:
    """Migrate, start `pixgate serve --workers N`, wait until every port answers /healthz."""
    secret = "whsec_" + secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIXGATE_")}
    env.update(PIXGATE_DATABASE_URL=database_url, PIXGATE_WEBHOOK_SECRET=secret,
               PIXGATE_INSTANCE_PATH=str(workdir / "instance"), PIXGATE_RELAY_POLL_SECONDS="1")
    if redis:
        env["PIXGATE_REDIS_URL"] = REDIS
        env["PIXGATE_REDIS_CHANNEL"] = f"pixgate-bench-{secrets.token_hex(4)}"
    env.update(extra_env or {})
    subprocess.run([sys.executable, "-m", "pixgate", "db", "upgrade"], env=env, check=True,
                   capture_output=True, timeout=120)
    start_ids_at_random(database_url)
    first = free_ports(workers)
    log = workdir / f"server-{first}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "pixgate", "serve", "--port", str(first),
         "--workers", str(workers)],
        env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
    servers = Servers(process, list(range(first, first + workers)), log, secret, env)
    deadline = time.monotonic() + 60
    pending = set(servers.ports)
    while pending and time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
        for port in list(pending):
            with contextlib.suppress(OSError):
                if http_get(port, "/healthz", timeout=1)[0] == 200:
                    pending.discard(port)
        time.sleep(0.1)
    if pending:
        servers.stop()
        raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}")
    return servers
