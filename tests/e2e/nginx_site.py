"""deploy/nginx.conf as shipped, in front of `pixgate serve --workers 2` with Redis and MariaDB.

The only changes made to the shipped file are listed in `substitutions`: the ports, the log
files, and the pid/temp paths nginx needs to run from a scratch folder. Each must match exactly
once, so a change to the shipped file that these tests no longer exercise fails loudly.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from bench.server import free_ports

from tests import services
from tests.e2e.conftest import server_env

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "deploy" / "nginx.conf"
NGINX = Path("/usr/sbin/nginx")
WORKERS = 2
REDIS_URL = os.environ.get("PIXGATE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


@dataclass
class Deployment:
    """nginx at `url`; the pixgate processes behind it at `backends`."""

    url: str
    backends: list[str]
    env: dict[str, str]
    folder: Path


def substitutions(folder: Path, listen: int, first_backend: int) -> dict[str, str]:
    """Every change made to the shipped file, old text -> new text."""
    temp_paths = "".join(f"    {name}_temp_path {folder / 'tmp' / name};\n" for name in TEMP_DIRS)
    return {
        "listen 80;": f"listen 127.0.0.1:{listen};",
        "server 127.0.0.1:5000 ": f"server 127.0.0.1:{first_backend} ",
        "server 127.0.0.1:5001 ": f"server 127.0.0.1:{first_backend + 1} ",
        "error_log /var/log/nginx/error.log warn;": f"error_log {folder / 'error.log'} warn;",
        "access_log /var/log/nginx/pixgate.access.log ":
            f"access_log {folder / 'access.log'} ",
        "\nhttp {\n": "\nhttp {\n" + temp_paths,  # /var/lib/nginx is not ours to write
    }


def render(folder: Path, listen: int, first_backend: int) -> Path:
    """The shipped file with exactly the listed substitutions applied."""
    text = SHIPPED.read_text()
    for old, new in substitutions(folder, listen, first_backend).items():
        assert text.count(old) == 1, f"deploy/nginx.conf no longer has {old!r} exactly once"
        text = text.replace(old, new)
    path = folder / "nginx.conf"
    path.write_text(text)
    return path


def nginx_command(folder: Path, conf: Path, *extra: str) -> list[str]:
    """nginx run from `folder`: its pid file and start-up log there, in the foreground."""
    return [str(NGINX), "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log"),
            "-g", f"pid {folder / 'nginx.pid'}; daemon off;", *extra]


def require_nginx() -> None:
    """Skip without Debian's nginx (fail under CI=true)."""
    if NGINX.exists():
        return
    message = f"{NGINX} is missing: `make test` installs it (or `apt-get install -y nginx`)"
    if services.in_ci():
        pytest.fail(message)
    pytest.skip(message)


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until `url` answers, or fail with the log if the process exits or a minute passes."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}: {log.read_text()[-3000:]}")
        try:
            requests.get(url, timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer in 60 s: {log.read_text()[-3000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group, SIGKILL after 20 s."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def deployment(database: str) -> Iterator[Deployment]:
    """Start pixgate (N processes) and nginx as shipped; stop both afterwards."""
    redis = urlsplit(REDIS_URL)
    services.require("redis", host=redis.hostname or "127.0.0.1", port=redis.port or 6379)
    require_nginx()
    # nginx's workers run as an unprivileged user when the tests run as root: they must be
    # able to reach the temp folders, so this folder is world-readable (pytest's are not).
    folder = Path(tempfile.mkdtemp(prefix="pixgate-nginx-"))
    folder.chmod(0o755)
    (folder / "tmp").mkdir(mode=0o755)  # nginx creates (and hands over) only the last level
    first_backend, listen = free_ports(WORKERS), free_ports(1)
    url = f"http://127.0.0.1:{listen}"
    env = server_env(folder, PIXGATE_DATABASE_URL=database, PIXGATE_REDIS_URL=REDIS_URL,
                     PIXGATE_REDIS_CHANNEL=f"pixgate-nginx-{random.getrandbits(64):x}",
                     PIXGATE_SANDBOX="1", PIXGATE_PUBLIC_URL=url)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        subprocess.run([sys.executable, "-m", "pixgate", "db", "upgrade"], env=env, check=True,
                       capture_output=True, timeout=120)
        server_log = folder / "pixgate.log"
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "pixgate", "serve", "--port", str(first_backend),
             "--workers", str(WORKERS)],
            env=env, stdout=server_log.open("ab"), stderr=subprocess.STDOUT,
            start_new_session=True))
        backends = [f"http://127.0.0.1:{first_backend + i}" for i in range(WORKERS)]
        for backend in backends:
            wait_for(backend + "/healthz", processes[0], server_log)
        conf = render(folder, listen, first_backend)
        check = subprocess.run(nginx_command(folder, conf, "-t", "-q"), capture_output=True,
                               text=True, timeout=30, check=False)
        assert check.returncode == 0, f"nginx -t refused the shipped file: {check.stderr}"
        nginx_log = folder / "nginx.out"
        processes.append(subprocess.Popen(nginx_command(folder, conf), stdout=nginx_log.open("ab"),
                                          stderr=subprocess.STDOUT, start_new_session=True))
        wait_for(url + "/healthz", processes[1], folder / "error.log")
        yield Deployment(url=url, backends=backends, env=env, folder=folder)
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(folder, ignore_errors=True)
