"""Refuse to start with keys that are weak, shared between directions, or missing."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pixgate.signing import secrets_from

if TYPE_CHECKING:
    from pixgate.config import Config

MIN_SECRET_LENGTH = 32
LOOPBACK_NAMES = ("127.0.0.1", "localhost")
HOW_TO_MAKE = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"


def _config_error(variable: str, reason: str) -> Exception:
    from pixgate.config import ConfigError

    return ConfigError(variable, reason)


def _secrets(config: Config) -> list[tuple[str, str]]:
    named = [("PIXGATE_SECRET_KEY", config.SECRET_KEY)]
    named += [("PIXGATE_WEBHOOK_SECRET", s) for s in secrets_from(config.WEBHOOK_SECRET)]
    named += [("PIXGATE_NOTIFY_SECRET", s) for s in secrets_from(config.NOTIFY_SECRET)]
    named += [(name, value) for name, value in (
        ("PIXGATE_API_TOKEN", config.API_TOKEN),
        ("PIXGATE_DASHBOARD_PASSWORD", config.DASHBOARD_PASSWORD),
    ) if value]
    return named


def check_secret_lengths(config: Config) -> None:
    """Outside the sandbox a guessable secret is a payment anyone can confirm: refuse it."""
    if config.SANDBOX:
        return
    for variable, value in _secrets(config):
        if len(value) < MIN_SECRET_LENGTH:
            raise _config_error(variable, (
                f"is {len(value)} characters; outside the sandbox every secret needs at least "
                f"{MIN_SECRET_LENGTH}. Make one with: {HOW_TO_MAKE}"))


def check_key_separation(config: Config) -> None:
    """Incoming and outgoing keys differ, so no webhook receiver can confirm a payment."""
    incoming = set(secrets_from(config.WEBHOOK_SECRET))
    outgoing = set(secrets_from(config.NOTIFY_SECRET))
    if incoming & outgoing:
        raise _config_error("PIXGATE_NOTIFY_SECRET", (
            "shares a secret with PIXGATE_WEBHOOK_SECRET; whoever receives pixgate's webhooks "
            f"could then confirm payments. Use a different one: {HOW_TO_MAKE}"))
    if config.NOTIFY_URL and not outgoing:
        raise _config_error("PIXGATE_NOTIFY_SECRET", (
            "must be set when PIXGATE_NOTIFY_URL is, so the receiver can tell pixgate's "
            f"webhooks from forged ones. Make one with: {HOW_TO_MAKE}"))


def check_origins(config: Config) -> None:
    """PIXGATE_ALLOWED_ORIGINS lists origins (`scheme://host[:port]`), nothing else."""
    for origin in [o.strip() for o in config.ALLOWED_ORIGINS.split(",") if o.strip()]:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path \
                or parts.query or parts.fragment:
            raise _config_error("PIXGATE_ALLOWED_ORIGINS", (
                f"{origin!r} is not an origin; write them like https://shop.example"))


def allowed_origins(config: Config) -> list[str]:
    """The origin of PIXGATE_PUBLIC_URL first, then PIXGATE_ALLOWED_ORIGINS."""
    public = urlsplit(config.PUBLIC_URL)
    own = [f"{public.scheme}://{public.netloc}"]
    if public.hostname in LOOPBACK_NAMES:  # a developer may browse either name
        port = f":{public.port}" if public.port else ""
        own += [f"{public.scheme}://{name}{port}" for name in LOOPBACK_NAMES]
    extra = [o.strip().rstrip("/") for o in config.ALLOWED_ORIGINS.split(",") if o.strip()]
    return list(dict.fromkeys(own + extra))


def check_security(config: Config) -> None:
    """Every start-up rule of the threat model in docs/security.md."""
    from pixgate.web.proxies import parse_trusted_proxies

    check_secret_lengths(config)
    check_key_separation(config)
    check_origins(config)
    parse_trusted_proxies(config.TRUSTED_PROXIES)
