"""PIXGATE_PSP_* read into PspSettings, and start-up refusing what cannot work, by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from pixgate.config import Config, ConfigError
from pixgate.psp.settings import PspSettings

BCB = {"PIXGATE_PSP": "bcb", "PIXGATE_PSP_BASE_URL": "http://127.0.0.1:9/v2",
       "PIXGATE_PSP_TOKEN_URL": "http://127.0.0.1:9/oauth/token",
       "PIXGATE_PSP_CLIENT_ID": "id", "PIXGATE_PSP_CLIENT_SECRET": "secret",
       "PIXGATE_PSP_ALLOW_HTTP": "1"}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Set variables for one test; every PIXGATE_PSP* variable starts unset."""
    import os

    for name in [n for n in os.environ if n.startswith(("PIXGATE_PSP", "PIXGATE_AUTO"))]:
        monkeypatch.delenv(name)

    def apply(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return apply


def test_no_psp_unless_sandbox(env) -> None:  # type: ignore[no-untyped-def]
    env()
    assert PspSettings.from_env(sandbox=False) is None
    sandbox = PspSettings.from_env(sandbox=True)
    assert sandbox is not None and sandbox.kind == "sandbox" and not sandbox.is_bcb
    sandbox.check()


def test_every_variable_is_read(env) -> None:  # type: ignore[no-untyped-def]
    env(**BCB, PIXGATE_PSP_PROFILE="Inter", PIXGATE_PSP_WEBHOOK_TOKEN="a" * 20,
        PIXGATE_PSP_RECONCILE_SECONDS="15", PIXGATE_AUTO_REFUND_UNMATCHED="1",
        PIXGATE_PSP_CERT_PASSWORD="pw", PIXGATE_PSP_CA_BUNDLE="/ca.pem")
    settings = PspSettings.from_env(sandbox=False)
    with pytest.raises(ConfigError) as caught:
        settings.check()  # type: ignore[union-attr]
    assert caught.value.variable == "PIXGATE_PSP_CA_BUNDLE"
    env(PIXGATE_PSP_CA_BUNDLE="")
    settings = PspSettings.from_env(sandbox=False)
    assert settings is not None
    assert (settings.kind, settings.profile, settings.reconcile_seconds) == ("bcb", "inter", 15.0)
    assert settings.auto_refund_unmatched and settings.allow_http
    assert (settings.cert_password, settings.ca_bundle) == ("pw", None)
    settings.check()


def test_config_carries_and_checks_the_psp(env) -> None:  # type: ignore[no-untyped-def]
    env(**{**BCB, "PIXGATE_PSP_ALLOW_HTTP": "0"})
    config = Config.from_env()
    assert config.PSP is not None and config.PSP.base_url == BCB["PIXGATE_PSP_BASE_URL"]
    with pytest.raises(ConfigError) as caught:
        config.check()
    assert caught.value.variable == "PIXGATE_PSP_BASE_URL" and "http://" in caught.value.reason


@pytest.mark.parametrize(("changes", "variable"), [
    ({"PIXGATE_PSP": "itau"}, "PIXGATE_PSP"),
    ({"PIXGATE_PSP_PROFILE": "nubank"}, "PIXGATE_PSP_PROFILE"),
    ({"PIXGATE_PSP_BASE_URL": ""}, "PIXGATE_PSP_BASE_URL"),
    ({"PIXGATE_PSP_TOKEN_URL": "ftp://x/token"}, "PIXGATE_PSP_TOKEN_URL"),
    ({"PIXGATE_PSP_CLIENT_ID": ""}, "PIXGATE_PSP_CLIENT_ID"),
    ({"PIXGATE_PSP_CLIENT_SECRET": ""}, "PIXGATE_PSP_CLIENT_SECRET"),
    ({"PIXGATE_PSP_PROFILE": "bb"}, "PIXGATE_PSP_APP_KEY"),
    ({"PIXGATE_PSP_WEBHOOK_TOKEN": "short"}, "PIXGATE_PSP_WEBHOOK_TOKEN"),
    ({"PIXGATE_PSP_WEBHOOK_TOKEN": "has/a/slash/in/it/!"}, "PIXGATE_PSP_WEBHOOK_TOKEN"),
    ({"PIXGATE_PSP_RECONCILE_SECONDS": "0"}, "PIXGATE_PSP_RECONCILE_SECONDS"),
    ({"PIXGATE_PSP_RECONCILE_SECONDS": "soon"}, "PIXGATE_PSP_RECONCILE_SECONDS"),
    ({"PIXGATE_PSP_CERT": "/nonexistent.p12"}, "PIXGATE_PSP_CERT"),
    ({"PIXGATE_PSP_BASE_URL": "https://psp.example/v2"}, "PIXGATE_PSP_CERT"),
])
def test_unusable_settings_name_their_variable(env, changes: dict, variable: str) -> None:  # type: ignore[no-untyped-def]
    env(**{**BCB, **changes})
    with pytest.raises(ConfigError) as caught:
        settings = PspSettings.from_env(sandbox=False)
        assert settings is not None
        settings.check()
    assert caught.value.variable == variable


def test_sicoob_needs_no_secret_and_bb_takes_its_app_key(env) -> None:  # type: ignore[no-untyped-def]
    env(**{**BCB, "PIXGATE_PSP_PROFILE": "sicoob", "PIXGATE_PSP_CLIENT_SECRET": ""})
    PspSettings.from_env(sandbox=False).check()  # type: ignore[union-attr]
    env(**{**BCB, "PIXGATE_PSP_PROFILE": "bb", "PIXGATE_PSP_APP_KEY": "dev-key"})
    settings = PspSettings.from_env(sandbox=False)
    assert settings is not None and settings.app_key == "dev-key"
    settings.check()


def test_a_certificate_problem_stops_start_up(env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "psp.p12"
    broken.write_bytes(b"not pkcs12 at all")
    env(**BCB, PIXGATE_PSP_CERT=str(broken), PIXGATE_PSP_CERT_PASSWORD="pw")
    with pytest.raises(ConfigError) as caught:
        Config.from_env().check()
    assert caught.value.variable == "PIXGATE_PSP_CERT_PASSWORD"
