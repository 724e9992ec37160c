"""Which PSP pixgate talks to and how: the PIXGATE_PSP_* variables, read once and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from pixgate.config import ConfigError, _env, _env_bool, _env_float

KINDS = ("sandbox", "bcb")
WEBHOOK_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")


@dataclass(frozen=True)
class PspSettings:
    """Everything the PSP client and the PSP flows need, as the merchant configured it."""

    kind: str
    base_url: str | None = None
    token_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    cert: str | None = None
    cert_password: str | None = None
    key: str | None = None
    ca_bundle: str | None = None
    profile: str = "generic"
    allow_http: bool = False
    webhook_token: str | None = None
    reconcile_seconds: float = 60.0
    auto_refund_unmatched: bool = False
    timeout_seconds: float = 10.0
    app_key: str | None = None  # BB's developer_application_key (gw-dev-app-key)

    @classmethod
    def from_env(cls, *, sandbox: bool) -> PspSettings | None:
        """Read PIXGATE_PSP_*; None when no PSP is configured (static codes only)."""
        kind = _env("PIXGATE_PSP", "sandbox" if sandbox else None)
        if kind is None:
            return None
        kind = kind.strip().lower()
        if kind not in KINDS:
            raise ConfigError("PIXGATE_PSP", f"must be one of {', '.join(KINDS)}, got {kind!r}")
        return cls(
            kind=kind,
            base_url=_env("PIXGATE_PSP_BASE_URL"),
            token_url=_env("PIXGATE_PSP_TOKEN_URL"),
            client_id=_env("PIXGATE_PSP_CLIENT_ID"),
            client_secret=_env("PIXGATE_PSP_CLIENT_SECRET"),
            cert=_env("PIXGATE_PSP_CERT"),
            cert_password=_env("PIXGATE_PSP_CERT_PASSWORD"),
            key=_env("PIXGATE_PSP_KEY"),
            ca_bundle=_env("PIXGATE_PSP_CA_BUNDLE"),
            profile=(_env("PIXGATE_PSP_PROFILE", "generic") or "generic").strip().lower(),
            allow_http=_env_bool("PIXGATE_PSP_ALLOW_HTTP"),
            webhook_token=_env("PIXGATE_PSP_WEBHOOK_TOKEN"),
            reconcile_seconds=_env_float("PIXGATE_PSP_RECONCILE_SECONDS", 60.0),
            auto_refund_unmatched=_env_bool("PIXGATE_AUTO_REFUND_UNMATCHED"),
            timeout_seconds=_env_float("PIXGATE_PSP_TIMEOUT_SECONDS", 10.0),
            app_key=_env("PIXGATE_PSP_APP_KEY"),
        )

    @property
    def is_bcb(self) -> bool:
        """True when charges go to a real PSP over API Pix."""
        return self.kind == "bcb"

    def check(self) -> None:
        """Refuse to start with a PSP configuration that cannot work, naming the variable."""
        if not 1 <= self.reconcile_seconds <= 86400:
            raise ConfigError("PIXGATE_PSP_RECONCILE_SECONDS", "must be between 1 and 86400")
        if not 0.1 <= self.timeout_seconds <= 120:
            raise ConfigError("PIXGATE_PSP_TIMEOUT_SECONDS", "must be between 0.1 and 120")
        if self.webhook_token is not None and not WEBHOOK_TOKEN.fullmatch(self.webhook_token):
            raise ConfigError("PIXGATE_PSP_WEBHOOK_TOKEN",
                              "must be 16 to 128 characters of A-Z a-z 0-9 _ - (a URL path "
                              "segment); generate one with `python -c 'import secrets; "
                              "print(secrets.token_urlsafe(32))'`")
        if not self.is_bcb:
            return
        from pixgate.psp.profiles import PROFILES, profile_named

        if self.profile not in PROFILES:
            raise ConfigError("PIXGATE_PSP_PROFILE",
                              f"unknown profile {self.profile!r}; known: {', '.join(PROFILES)}")
        self._check_url("PIXGATE_PSP_BASE_URL", self.base_url)
        self._check_url("PIXGATE_PSP_TOKEN_URL", self.token_url)
        if not self.client_id:
            raise ConfigError("PIXGATE_PSP_CLIENT_ID", "is required with PIXGATE_PSP=bcb")
        if not self.client_secret and profile_named(self.profile).token.sends_secret:
            raise ConfigError("PIXGATE_PSP_CLIENT_SECRET", "is required with PIXGATE_PSP=bcb")
        needs_app_key = any("{app_key}" in value for value in (
            *profile_named(self.profile).headers.values(),
            *profile_named(self.profile).query.values()))
        if needs_app_key and not self.app_key:
            raise ConfigError("PIXGATE_PSP_APP_KEY", f"the {self.profile} profile needs the "
                                                     "developer application key")
        self._check_certificate()

    def _check_url(self, variable: str, url: str | None) -> None:
        if not url:
            raise ConfigError(variable, "is required with PIXGATE_PSP=bcb")
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.netloc:
            raise ConfigError(variable, f"must be an absolute https:// URL, got {url!r}")
        if parts.scheme == "http" and not self.allow_http:
            raise ConfigError(variable, "plain http:// is refused: API Pix runs over mutual "
                                        "TLS (PIXGATE_PSP_ALLOW_HTTP=1 is for local emulators)")

    def _check_certificate(self) -> None:
        from pixgate.psp.tls import CertificateProblem, client_context, load_identity

        if self.ca_bundle:
            try:
                client_context(None, ca_bundle=self.ca_bundle)
            except CertificateProblem as exc:
                raise ConfigError(exc.variable, exc.reason) from None
        if self.cert is None:
            if urlsplit(self.base_url or "").scheme == "https":
                raise ConfigError("PIXGATE_PSP_CERT", "is required: API Pix demands the client "
                                                      "certificate the PSP issued (PEM or .p12)")
            return
        try:
            load_identity(self.cert, password=self.cert_password, key_path=self.key)
        except CertificateProblem as exc:
            raise ConfigError(exc.variable, exc.reason) from None
