"""How `pixgate serve` runs gunicorn: the settings (chosen by measurement, see
docs/operations.md) and the logger class that makes gunicorn's own lines JSON too."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from gunicorn import glogging

from pixgate.ops.logs import JsonFormatter

APP = "pixgate.serving:create_server_app()"
SHM = "/dev/shm"  # noqa: S108 - gunicorn creates its file there with mkstemp
FD_HEADROOM = 256  # database pool, Redis, log files, the listening socket, gevent's own


@dataclass(frozen=True)
class Settings:
    """One gunicorn process with one gevent worker; docs/operations.md says why each value."""

    host: str = "127.0.0.1"
    port: int = 5000
    worker_connections: int = 12_000  # 10,000 pages held at ~74 KiB each (~850 MiB) + headroom
    backlog: int = 2048               # 4,096 removed SYN drops but cleared a burst more slowly
    keepalive: int = 5                # above nginx's upstream keepalive_timeout (4 s)
    timeout: int = 30                 # heartbeat: a loop blocked this long is a bug; restart
    graceful_timeout: int = 10        # let open requests finish; pages reconnect elsewhere
    log_level: str = "info"

    def fds_needed(self) -> int:
        """File descriptors one process needs at full load."""
        return self.worker_connections + FD_HEADROOM


def argv(settings: Settings) -> list[str]:
    """The gunicorn command line for one process (one worker: Socket.IO sessions live in it)."""
    command = [
        sys.executable, "-m", "gunicorn",
        "--worker-class", "gevent",
        "--workers", "1",
        "--worker-connections", str(settings.worker_connections),
        "--backlog", str(settings.backlog),
        "--keep-alive", str(settings.keepalive),
        "--timeout", str(settings.timeout),
        "--graceful-timeout", str(settings.graceful_timeout),
        "--bind", f"{settings.host}:{settings.port}",
        "--log-level", settings.log_level,
        "--logger-class", "pixgate.ops.gunicorn.JsonLogger",
    ]
    if _has_setting("control_socket_disable"):  # newer gunicorn: a control socket per master
        command.append("--no-control-socket")  # would collide between processes on one host
    if os.path.isdir(SHM):  # gunicorn's heartbeat file, off a possibly slow disk (mkstemp'd)
        command += ["--worker-tmp-dir", SHM]
    return [*command, APP]


def _has_setting(name: str) -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any(setting.name == name for setting in KNOWN_SETTINGS)


def ports(first: int, processes: int) -> list[int]:
    """Consecutive ports, one per process, for nginx's upstream block."""
    return [first + i for i in range(processes)]


def raise_fd_limit(needed: int) -> tuple[int, int]:
    """Lift the soft RLIMIT_NOFILE towards `needed` (never above the hard limit); returns both."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    ceiling = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if soft != resource.RLIM_INFINITY and soft < ceiling:
        resource.setrlimit(resource.RLIMIT_NOFILE, (ceiling, hard))
        soft = ceiling
    return soft, hard


class JsonLogger(glogging.Logger):
    """gunicorn's logger with JSON lines, so master and worker messages parse like the app's."""

    def setup(self, cfg) -> None:  # type: ignore[no-untyped-def]
        """Let gunicorn build its handlers, then swap their formatter."""
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            for handler in logger.handlers:
                handler.setFormatter(JsonFormatter())
