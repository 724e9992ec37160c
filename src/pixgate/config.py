"""Configuration: one class, read from PIXGATE_* environment variables at app creation."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pixgate.psp.settings import PspSettings

DEFAULT_INSTANCE = "instance"  # resolved against the working directory when used
T = TypeVar("T", int, float)


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_number(name: str, default: T, kind: Callable[[str], T]) -> T:
    raw = _env(name)
    if raw is None:
        return default
    try:
        return kind(raw)
    except ValueError as exc:
        raise ConfigError(name, f"must be a {kind.__name__} number, got {raw!r}") from exc


def _env_int(name: str, default: int) -> int:
    return _env_number(name, default, int)


def _env_float(name: str, default: float) -> float:
    return _env_number(name, default, float)


def _env_bool(name: str, default: bool = False) -> bool:
    raw = _env(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _psp_from_env(*, sandbox: bool) -> PspSettings | None:
    from pixgate.psp.settings import PspSettings  # it imports this module's helpers

    return PspSettings.from_env(sandbox=sandbox)


class ConfigError(ValueError):
    """A configuration variable is unusable; carries its name so start-up can say which."""

    def __init__(self, variable: str, reason: str) -> None:
        super().__init__(f"{variable}: {reason}")
        self.variable = variable
        self.reason = reason


@dataclass
class Config:
    """Every knob pixgate has; `from_env` fills it, tests build it directly."""

    DATABASE_URL: str = ""
    REDIS_URL: str | None = None
    REDIS_CHANNEL: str = "pixgate"
    SECRET_KEY: str = field(default_factory=lambda: secrets.token_hex(32))
    PAYMENT_TTL_SECONDS: int = 1800
    PIX_KEY: str = "pixgate@example.com"
    MERCHANT_NAME: str = "Pixgate Demo"
    MERCHANT_CITY: str = "Sao Paulo"
    WEBHOOK_SECRET: str = ""
    NOTIFY_SECRET: str = ""
    ALLOW_PRIVATE_WEBHOOK_URLS: bool = False
    TRUSTED_PROXIES: str = ""
    ALLOWED_ORIGINS: str = ""
    API_TOKEN: str | None = None
    DASHBOARD_PASSWORD: str | None = None
    SANDBOX: bool = False
    INSTANCE_PATH: str = DEFAULT_INSTANCE
    SOCKETIO_ASYNC_MODE: str = "threading"
    RELAY_POLL_SECONDS: float = 1.0
    SWEEP_SECONDS: float = 5.0
    NOTIFY_URL: str | None = None
    WEBHOOK_RETRY_BASE_SECONDS: float = 10.0
    WEBHOOK_TIMEOUT_SECONDS: float = 10.0
    ALLOW_UNSIGNED_CONFIRMATIONS: bool = False
    PUBLIC_URL: str = "http://127.0.0.1:5000"  # `pixgate serve` sets it to its bind address
    API_BASE_PATH: str = "/v2"
    PSP: PspSettings | None = None
    LOG_LEVEL: str = "INFO"
    MAX_CONTENT_LENGTH: int = 64 * 1024
    TESTING: bool = False

    @classmethod
    def from_env(cls, **overrides: Any) -> Config:
        """Build the configuration from the environment, so deployments need no code."""
        instance = _env("PIXGATE_INSTANCE_PATH", DEFAULT_INSTANCE)
        config = cls(
            DATABASE_URL=_env("PIXGATE_DATABASE_URL", "") or "",
            REDIS_URL=_env("PIXGATE_REDIS_URL"),
            REDIS_CHANNEL=_env("PIXGATE_REDIS_CHANNEL", cls.REDIS_CHANNEL) or cls.REDIS_CHANNEL,
            SECRET_KEY=_env("PIXGATE_SECRET_KEY") or secrets.token_hex(32),
            PAYMENT_TTL_SECONDS=_env_int("PIXGATE_PAYMENT_TTL_SECONDS", 1800),
            PIX_KEY=_env("PIXGATE_PIX_KEY", cls.PIX_KEY) or cls.PIX_KEY,
            MERCHANT_NAME=_env("PIXGATE_MERCHANT_NAME", cls.MERCHANT_NAME) or cls.MERCHANT_NAME,
            MERCHANT_CITY=_env("PIXGATE_MERCHANT_CITY", cls.MERCHANT_CITY) or cls.MERCHANT_CITY,
            WEBHOOK_SECRET=_env("PIXGATE_WEBHOOK_SECRET", "") or "",
            NOTIFY_SECRET=_env("PIXGATE_NOTIFY_SECRET", "") or "",
            ALLOW_PRIVATE_WEBHOOK_URLS=_env_bool("PIXGATE_ALLOW_PRIVATE_WEBHOOK_URLS"),
            TRUSTED_PROXIES=_env("PIXGATE_TRUSTED_PROXIES", "") or "",
            ALLOWED_ORIGINS=_env("PIXGATE_ALLOWED_ORIGINS", "") or "",
            API_TOKEN=_env("PIXGATE_API_TOKEN"),
            DASHBOARD_PASSWORD=_env("PIXGATE_DASHBOARD_PASSWORD"),
            SANDBOX=_env_bool("PIXGATE_SANDBOX"),
            INSTANCE_PATH=instance or DEFAULT_INSTANCE,
            LOG_LEVEL=_env("PIXGATE_LOG_LEVEL", "INFO") or "INFO",
            RELAY_POLL_SECONDS=_env_float("PIXGATE_RELAY_POLL_SECONDS", 1.0),
            SWEEP_SECONDS=_env_float("PIXGATE_SWEEP_SECONDS", 5.0),
            NOTIFY_URL=_env("PIXGATE_NOTIFY_URL"),
            WEBHOOK_RETRY_BASE_SECONDS=_env_float("PIXGATE_WEBHOOK_RETRY_BASE_SECONDS", 10.0),
            WEBHOOK_TIMEOUT_SECONDS=_env_float("PIXGATE_WEBHOOK_TIMEOUT_SECONDS", 10.0),
            ALLOW_UNSIGNED_CONFIRMATIONS=_env_bool("PIXGATE_ALLOW_UNSIGNED_CONFIRMATIONS"),
            PUBLIC_URL=_env("PIXGATE_PUBLIC_URL", cls.PUBLIC_URL) or cls.PUBLIC_URL,
            API_BASE_PATH=_env("PIXGATE_API_BASE_PATH", cls.API_BASE_PATH) or cls.API_BASE_PATH,
            PSP=_psp_from_env(sandbox=_env_bool("PIXGATE_SANDBOX")),
        )
        for key, value in overrides.items():
            setattr(config, key, value)
        return config

    def resolved_database_url(self) -> str:
        """The SQLAlchemy URL, defaulting to a SQLite file under the instance folder."""
        if self.DATABASE_URL:
            return self.DATABASE_URL
        return f"sqlite:///{Path(self.INSTANCE_PATH).resolve() / 'pixgate.db'}"

    def check(self) -> None:
        """Refuse to start with values that would produce broken charges."""
        if self.PAYMENT_TTL_SECONDS < 60 or self.PAYMENT_TTL_SECONDS > 365 * 86400:
            raise ConfigError("PIXGATE_PAYMENT_TTL_SECONDS", "must be between 60 and 31536000")
        from pixgate.charges.receiver import receiver_from_config

        receiver_from_config(self)
        from pixgate.startup_checks import check_security

        check_security(self)
        if self.PSP is not None:
            self.PSP.check()

    def as_flask(self) -> dict[str, Any]:
        """The mapping Flask's config wants, with the SQLAlchemy keys it expects."""
        mapping = {f.name: getattr(self, f.name) for f in fields(self)}
        mapping["SQLALCHEMY_DATABASE_URI"] = self.resolved_database_url()
        mapping["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(mapping["SQLALCHEMY_DATABASE_URI"])
        mapping["PIXGATE"] = self
        return mapping


def engine_options(url: str) -> dict[str, Any]:
    """Pool settings per backend; db/pool.py adds the events that keep networked pools healthy."""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30, "check_same_thread": False}}
    # No pre-ping and no unconditional ROLLBACK on return: db/pool.py does both only when they
    # can matter, instead of two round trips on every request.
    options = {"pool_pre_ping": False, "pool_reset_on_return": None, "pool_recycle": 1800,
               "pool_size": 10, "max_overflow": 20}
    if url.startswith("mysql"):
        # PostgreSQL's default: each statement sees what others committed before it.
        options["isolation_level"] = "READ COMMITTED"
    return options
