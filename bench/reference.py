"""The yardstick: ../shared/reference/reference_app.py, run where it lives, with its own venv.

It is never copied into this repository: the bench starts it from its folder with the venv its
README builds (/tmp/refvenv), on a fresh database of its own, exactly as that README says, so
pixgate's figures can be read as ratios against it (PIXGATE_BENCH_REFERENCE_DIR and
PIXGATE_BENCH_REFERENCE_PYTHON point elsewhere).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.server import MARIADB, REDIS, Servers, free_ports, http_get

ROOT = Path(__file__).resolve().parent.parent
DIRECTORY = Path(os.environ.get("PIXGATE_BENCH_REFERENCE_DIR", ROOT.parent / "shared/reference"))
PYTHON = Path(os.environ.get("PIXGATE_BENCH_REFERENCE_PYTHON", "/tmp/refvenv/bin/python"))  # noqa: S108


def available() -> str | None:
    """None when the reference app can run here, else what is missing."""
    if not (DIRECTORY / "reference_app.py").is_file():
        return f"no reference_app.py in {DIRECTORY}"
    if not PYTHON.is_file():
        return f"no {PYTHON}: build its venv as {DIRECTORY / 'README.md'} says"
    return None


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    """A database `reference_bench_<random>` for one run, dropped afterwards."""
    server = make_url(MARIADB)
    name = f"reference_bench_{secrets.token_hex(4)}"
    yield server.set(database=name).render_as_string(hide_password=False)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
    admin.dispose()


def start(database_url: str, workdir: Path, *, workers: int = 1, redis: bool = False) -> Servers:
    """`reference_app.py --init`, then gunicorn -k gevent -w N as its README runs it."""
    secret = "whsec_" + secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIXGATE_", "REFERENCE_"))}
    env.update(REFERENCE_DB_URL=database_url, REFERENCE_SECRET=secret)
    if redis:
        env["REFERENCE_MQ"] = REDIS
    subprocess.run([str(PYTHON), "reference_app.py", "--init"], cwd=DIRECTORY, env=env,
                   check=True, capture_output=True, timeout=120)
    # Ids far from 1: its Socket.IO channel on Redis is the default one, shared with any other
    # reference app on this Redis, and the same ids would mean the same rooms.
    engine = create_engine(database_url)
    with engine.begin() as conn:
        first_id = 10**7 + secrets.randbelow(10**9)
        conn.execute(text(f"ALTER TABLE payments AUTO_INCREMENT = {first_id}"))
    engine.dispose()
    port = free_ports(1)
    log = workdir / f"reference-{port}.log"
    gunicorn = PYTHON.parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "-k", "gevent", "-w", str(workers), "--worker-connections", "10000",
         "--keep-alive", "5", "-b", f"127.0.0.1:{port}", "reference_app:app"],
        cwd=DIRECTORY, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
        start_new_session=True)
    servers = Servers(process, [port], log, secret, env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"reference app exited: {log.read_text()[-2000:]}")
        with contextlib.suppress(OSError):
            if http_get(port, "/payments/pix/1", timeout=1)[0] == 404:
                return servers
        time.sleep(0.1)
    servers.stop()
    raise RuntimeError(f"reference app did not start: {log.read_text()[-2000:]}")
