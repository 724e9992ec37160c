"""`pixgate serve`: the gunicorn command line, the port plan and the multi-process supervisor."""

from __future__ import annotations

import json
import logging
import os
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pixgate.commands.serve import default_public_url, public_url_for, serve, supervise
from pixgate.ops.gunicorn import APP, Settings, argv, ports, raise_fd_limit


def test_each_process_is_one_gevent_worker_on_its_own_port() -> None:
    command = argv(Settings(host="0.0.0.0", port=5003, worker_connections=4321))  # noqa: S104
    joined = " ".join(command)
    assert command[-1] == APP
    assert "--worker-class gevent" in joined and "--workers 1" in joined
    assert "--bind 0.0.0.0:5003" in joined and "--worker-connections 4321" in joined
    from gunicorn.config import KNOWN_SETTINGS

    if any(s.name == "control_socket_disable" for s in KNOWN_SETTINGS):
        assert "--no-control-socket" in joined  # one control socket path per host would collide
    assert "--logger-class pixgate.ops.gunicorn.JsonLogger" in joined


def test_ports_are_consecutive_from_the_first() -> None:
    assert ports(8000, 3) == [8000, 8001, 8002]
    assert ports(8000, 1) == [8000]


def test_fd_limit_is_raised_but_never_past_the_hard_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        new_soft, new_hard = raise_fd_limit(10**9)
        assert new_hard == hard
        assert new_soft == (hard if hard != resource.RLIM_INFINITY else 10**9) or new_soft >= soft
        assert raise_fd_limit(1)[0] == new_soft  # never lowered
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_several_workers_without_redis_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PIXGATE_REDIS_URL", raising=False)
    monkeypatch.setenv("PIXGATE_INSTANCE_PATH", str(tmp_path))
    result = CliRunner().invoke(serve, ["--workers", "2", "--port", "5900"])
    assert result.exit_code != 0
    assert "PIXGATE_REDIS_URL" in result.output


def test_supervisor_stops_the_rest_when_one_process_dies() -> None:
    started = time.monotonic()
    code = supervise([
        [sys.executable, "-c", "import sys, time; time.sleep(0.3); sys.exit(3)"],
        [sys.executable, "-c", "import time; time.sleep(60)"],
    ], kill_after=10)
    assert code == 3
    assert time.monotonic() - started < 10  # the sleeper got SIGTERM, not a 60 s wait


def test_supervisor_reports_failure_even_for_a_clean_unexpected_exit() -> None:
    code = supervise([[sys.executable, "-c", "pass"], [sys.executable, "-c", "pass"]])
    assert code == 1


@pytest.mark.parametrize(("host", "url", "guessed"), [
    ("127.0.0.1", "http://127.0.0.1:8000", False),
    ("10.1.2.3", "http://10.1.2.3:8000", False),
    ("pix.example.com", "http://pix.example.com:8000", False),
    ("::1", "http://[::1]:8000", False),
    ("0.0.0.0", "http://127.0.0.1:8000", True),  # noqa: S104
    ("::", "http://[::1]:8000", True),
])
def test_public_url_defaults_to_the_bound_address(host: str, url: str, guessed: bool) -> None:
    assert public_url_for(host, 8000) == (url, guessed)


@pytest.fixture
def root_handlers() -> Iterator[None]:
    """default_public_url configures JSON logging on the root logger; put pytest's back."""
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    yield
    root.handlers[:] = saved
    root.setLevel(level)


def test_serve_sets_public_url_for_its_processes_and_warns_on_a_wildcard_bind(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], root_handlers: None
) -> None:
    monkeypatch.delenv("PIXGATE_PUBLIC_URL", raising=False)
    default_public_url("127.0.0.1", 8000)
    assert os.environ["PIXGATE_PUBLIC_URL"] == "http://127.0.0.1:8000"
    assert "PIXGATE_PUBLIC_URL" not in capsys.readouterr().err

    monkeypatch.delenv("PIXGATE_PUBLIC_URL")
    default_public_url("0.0.0.0", 8001)  # noqa: S104
    assert os.environ["PIXGATE_PUBLIC_URL"] == "http://127.0.0.1:8001"
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["level"] == "WARNING" and "set PIXGATE_PUBLIC_URL" in line["msg"]


def test_an_explicit_public_url_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIXGATE_PUBLIC_URL", "https://pix.example.com")
    default_public_url("0.0.0.0", 8000)  # noqa: S104
    assert os.environ["PIXGATE_PUBLIC_URL"] == "https://pix.example.com"
