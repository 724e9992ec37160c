"""`pixgate psp check` and `pixgate psp webhook register`: the merchant's link to their PSP.

Neither needs the database: both read the PIXGATE_* variables and talk to the PSP, so a
merchant can check a configuration before the first `pixgate serve`.
"""

from __future__ import annotations

import click

from pixgate.config import Config, ConfigError
from pixgate.psp.settings import PspSettings

MARKS = {"ok": "[ok]  ", "warn": "[warn]", "FAIL": "[FAIL]"}


def _config() -> tuple[Config, PspSettings]:
    try:
        config = Config.from_env()
    except ConfigError as exc:
        raise click.ClickException(f"configuration error: {exc}") from None
    if config.PSP is None:
        raise click.ClickException("no PSP configured: set PIXGATE_PSP=bcb and the "
                                   "PIXGATE_PSP_* variables (docs/psp.md)")
    return config, config.PSP


@click.group("psp")
def psp() -> None:
    """The connection to the merchant's PSP (API Pix v2)."""


@psp.command("check")
def check() -> None:
    """Say in plain words whether pixgate can work with the PSP, and what to fix if not."""
    from pixgate.psp.diagnose import FAIL, diagnose

    config, settings = _config()
    if not settings.is_bcb:
        click.echo("PIXGATE_PSP=sandbox: the built-in sandbox answers; nothing to check.")
        return
    click.echo(f"PSP: {settings.base_url} (profile {settings.profile})")
    failed = False
    for finding in diagnose(settings, public_url=config.PUBLIC_URL, pix_key=config.PIX_KEY):
        click.echo(f"{MARKS[finding.level]} {finding.step}: {finding.text}")
        failed = failed or finding.level == FAIL
    if failed:
        raise click.ClickException("the PSP connection is not ready; fix the [FAIL] line above")
    click.echo("All is well: pixgate can create charges at the PSP and hear from it.")


@psp.group("webhook")
def webhook() -> None:
    """The URL the PSP notifies."""


@webhook.command("register")
def register() -> None:
    """PUT /webhook/{PIXGATE_PIX_KEY} with PIXGATE_PUBLIC_URL/webhooks/psp/<token>."""
    from pixgate.psp.base import PspError
    from pixgate.psp.bcb import BcbPsp
    from pixgate.psp.diagnose import webhook_url

    config, settings = _config()
    if not settings.is_bcb:
        raise click.ClickException("PIXGATE_PSP=sandbox has no webhook to register")
    try:
        settings.check()
    except ConfigError as exc:
        raise click.ClickException(f"configuration error: {exc}") from None
    if not settings.webhook_token:
        raise click.ClickException("set PIXGATE_PSP_WEBHOOK_TOKEN first (a secret path segment, "
                                   "e.g. `python -c 'import secrets; "
                                   "print(secrets.token_urlsafe(32))'`)")
    url = webhook_url(config.PUBLIC_URL, settings.webhook_token)
    client = BcbPsp(settings)
    try:
        client.put_webhook(config.PIX_KEY, url)
        registered = client.get_webhook(config.PIX_KEY)
    except PspError as exc:
        raise click.ClickException(f"the PSP refused the webhook: {exc.detail}") from None
    finally:
        client.close()
    if registered is None or registered.get("webhookUrl") != url:
        raise click.ClickException(f"the PSP accepted the webhook but reads back {registered}")
    click.echo(f"Registered: the PSP notifies {url}/pix for the key {config.PIX_KEY}.")
    if not url.startswith("https://"):
        click.echo("warning: PIXGATE_PUBLIC_URL is not https; PSPs notify only https URLs "
                   "with mutual TLS (docs/psp.md, the proxy set-up)", err=True)
