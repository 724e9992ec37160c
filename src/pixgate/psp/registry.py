"""The one PSP an app talks to, built once from its configuration by `create_app`."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from pixgate.psp.base import Psp

EXTENSION = "pixgate.psp"


@dataclass(frozen=True)
class Flows:
    """The PSP settings the money flows read (the rest is the client's business)."""

    webhook_token: str | None = None
    reconcile_seconds: float = 60.0
    auto_refund_unmatched: bool = False


def init_app(app: Flask) -> None:
    """Build the configured PSP: the in-process sandbox, a bank over API Pix, or none."""
    config = app.config["PIXGATE"]
    settings = getattr(config, "PSP", None)
    kind = settings.kind if settings is not None else ("sandbox" if config.SANDBOX else None)
    psp: Psp | None = None
    if kind == "sandbox":
        from pixgate.psp.sandbox import SandboxPsp

        psp = SandboxPsp()
    elif kind == "bcb":
        from pixgate.psp.bcb import BcbPsp

        metrics = app.extensions.get("pixgate.metrics")
        psp = BcbPsp(settings, registry=metrics.registry if metrics is not None else None)
    app.extensions[EXTENSION] = psp
    app.extensions[EXTENSION + ".flows"] = Flows(
        webhook_token=getattr(settings, "webhook_token", None),
        reconcile_seconds=getattr(settings, "reconcile_seconds", 60.0),
        auto_refund_unmatched=getattr(settings, "auto_refund_unmatched", False),
    )


def get_psp(app: Flask | None = None) -> Psp | None:
    """The configured PSP; None when the merchant has no API access (static codes only)."""
    return (app or current_app).extensions.get(EXTENSION)


def charge_psp(app: Flask | None = None) -> Psp | None:
    """The PSP that holds charges (created there with PUT /cob), or None for the sandbox and
    for static codes on the merchant's own key."""
    psp = get_psp(app)
    return psp if psp is not None and getattr(psp, "holds_charges", True) else None


def flows(app: Flask | None = None) -> Flows:
    """Webhook token, reconciliation interval and the auto-refund switch."""
    return (app or current_app).extensions.get(EXTENSION + ".flows") or Flows()
