"""Start-up validation: a bad receiver stops the server with the variable's name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pixgate.config import Config, ConfigError


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"PIX_KEY": "not-a-key"}, "PIXGATE_PIX_KEY"),
        ({"PIX_KEY": "111.111.111-11"}, "PIXGATE_PIX_KEY"),
        ({"MERCHANT_NAME": "N" * 26}, "PIXGATE_MERCHANT_NAME"),
        ({"MERCHANT_CITY": "C" * 16}, "PIXGATE_MERCHANT_CITY"),
        ({"MERCHANT_NAME": "😀 Loja"}, "PIXGATE_MERCHANT_NAME"),
        ({"PAYMENT_TTL_SECONDS": 5}, "PIXGATE_PAYMENT_TTL_SECONDS"),
    ],
)
def test_invalid_configuration_names_the_variable(overrides: dict, variable: str) -> None:
    with pytest.raises(ConfigError) as info:
        Config(**overrides).check()
    assert info.value.variable == variable


def test_accents_are_stripped_not_dropped() -> None:
    from pixgate.charges.receiver import receiver_from_config

    receiver = receiver_from_config(Config(MERCHANT_NAME="Padaria São João",
                                           MERCHANT_CITY="Florianópolis"))
    assert (receiver.name, receiver.city) == ("Padaria Sao Joao", "Florianopolis")


def test_masked_keys_are_normalised() -> None:
    from pixgate.charges.receiver import receiver_from_config

    assert receiver_from_config(Config(PIX_KEY="Loja@Example.COM")).pix_key == "loja@example.com"


def test_environment_is_read() -> None:
    channel = f"pixgate-{os.urandom(4).hex()}"
    env = {"PIXGATE_PAYMENT_TTL_SECONDS": "600", "PIXGATE_SANDBOX": "1",
           "PIXGATE_WEBHOOK_SECRET": "a,b", "PIXGATE_REDIS_CHANNEL": channel}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        config = Config.from_env()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert config.PAYMENT_TTL_SECONDS == 600 and config.SANDBOX is True
    assert channel == config.REDIS_CHANNEL
    with pytest.raises(ConfigError):
        os.environ["PIXGATE_PAYMENT_TTL_SECONDS"] = "ten"
        try:
            Config.from_env()
        finally:
            os.environ.pop("PIXGATE_PAYMENT_TTL_SECONDS")


def test_serve_refuses_to_start_with_a_bad_key(tmp_path: Path) -> None:
    env = {**os.environ, "PIXGATE_PIX_KEY": "(11) 1234", "PIXGATE_INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "pixgate", "serve", "--port", "1"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "PIXGATE_PIX_KEY" in result.stderr


STRONG = "s" * 32


def _secure(**overrides: object) -> Config:
    values: dict = {"SECRET_KEY": STRONG + "k", "WEBHOOK_SECRET": STRONG + "in",
                    "NOTIFY_SECRET": STRONG + "out"}
    values.update(overrides)
    return Config(**values)


@pytest.mark.parametrize("variable", ["SECRET_KEY", "WEBHOOK_SECRET", "NOTIFY_SECRET",
                                      "API_TOKEN", "DASHBOARD_PASSWORD"])
def test_short_secrets_are_refused_outside_the_sandbox(variable: str) -> None:
    with pytest.raises(ConfigError) as info:
        _secure(**{variable: "x"}).check()
    assert info.value.variable == f"PIXGATE_{variable}"
    assert "secrets.token_urlsafe(32)" in str(info.value) and "32" in info.value.reason
    _secure(**{variable: "x"}, SANDBOX=True).check()  # the sandbox is for trying things out


def test_one_short_secret_in_a_rotation_list_is_refused() -> None:
    with pytest.raises(ConfigError, match="PIXGATE_WEBHOOK_SECRET"):
        _secure(WEBHOOK_SECRET=f"{STRONG},short").check()


def test_a_secret_in_both_directions_is_refused() -> None:
    shared = "b" * 40
    with pytest.raises(ConfigError) as info:
        _secure(WEBHOOK_SECRET=f"{STRONG},{shared}", NOTIFY_SECRET=shared).check()
    assert info.value.variable == "PIXGATE_NOTIFY_SECRET" and "confirm" in info.value.reason
    with pytest.raises(ConfigError):  # in the sandbox too: it is a design rule, not strength
        _secure(WEBHOOK_SECRET=shared, NOTIFY_SECRET=shared, SANDBOX=True).check()


def test_a_notify_url_needs_a_notify_secret() -> None:
    with pytest.raises(ConfigError) as info:
        _secure(NOTIFY_URL="https://shop.example/hook", NOTIFY_SECRET="").check()
    assert info.value.variable == "PIXGATE_NOTIFY_SECRET"
    _secure(NOTIFY_URL="https://shop.example/hook").check()


@pytest.mark.parametrize(("variable", "value"), [
    ("TRUSTED_PROXIES", "eleven"), ("TRUSTED_PROXIES", "10.0.0.0/33"), ("TRUSTED_PROXIES", "99"),
    ("ALLOWED_ORIGINS", "shop.example"), ("ALLOWED_ORIGINS", "https://shop.example/path"),
])
def test_bad_proxy_and_origin_settings_are_refused(variable: str, value: str) -> None:
    with pytest.raises(ConfigError) as info:
        _secure(**{variable: value}).check()
    assert info.value.variable == f"PIXGATE_{variable}"


def test_new_variables_are_read_from_the_environment() -> None:
    env = {"PIXGATE_NOTIFY_SECRET": "n" * 32, "PIXGATE_ALLOW_PRIVATE_WEBHOOK_URLS": "1",
           "PIXGATE_TRUSTED_PROXIES": "2", "PIXGATE_ALLOWED_ORIGINS": "https://a.example"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        config = Config.from_env()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert (config.NOTIFY_SECRET, config.ALLOW_PRIVATE_WEBHOOK_URLS) == ("n" * 32, True)
    assert (config.TRUSTED_PROXIES, config.ALLOWED_ORIGINS) == ("2", "https://a.example")


def test_serve_refuses_a_short_secret_and_says_how_to_make_one(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIXGATE_")}
    env.update(PIXGATE_WEBHOOK_SECRET="short", PIXGATE_INSTANCE_PATH=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "pixgate", "serve", "--port", "1"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "PIXGATE_WEBHOOK_SECRET" in result.stderr
    assert "python -c 'import secrets; print(secrets.token_urlsafe(32))'" in result.stderr
