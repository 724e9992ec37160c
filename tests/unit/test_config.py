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
