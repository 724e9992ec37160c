"""What differs between PSPs that implement API Pix v2, as data (docs/psp.md gives the sources).

A profile never adds a code path: the client reads these fields. Every profile reads answers
leniently (any 2xx, `brcode` for `pixCopiaECola`, errors that are not RFC 7807) and always
creates cobs with `PUT /cob/{txid}`, which every PSP implements and which is idempotent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# The scopes of BCB's spec that pixgate uses; sent only by PSPs that require `scope`.
PIX_SCOPES = ("cob.write cob.read cobv.write cobv.read pix.write pix.read webhook.write "
              "webhook.read")
COPIA_E_COLA_FIELDS = ("pixCopiaECola", "brcode", "textoImagemQRcode")


@dataclass(frozen=True)
class TokenRequest:
    """How one PSP wants `grant_type=client_credentials` asked for."""

    credentials: str = "basic"  # "basic": Authorization header; "form": client_id/secret fields
    body: str = "form"  # "form" (application/x-www-form-urlencoded) or "json"
    grant_in_query: bool = False  # Santander: POST /oauth/token?grant_type=client_credentials
    sends_secret: bool = True  # Sicoob: client_id only, the certificate authenticates
    scope: str | None = None  # sent only when the PSP requires it


@dataclass(frozen=True)
class Profile:
    """One PSP's quirks. `{client_id}` and `{app_key}` in headers/query are filled from settings."""

    name: str
    title: str
    token: TokenRequest = TokenRequest()
    headers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    query: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    production: str | None = None  # PIXGATE_PSP_BASE_URL / PIXGATE_PSP_TOKEN_URL to use
    production_oauth: str | None = None
    homologation: str | None = None
    homologation_oauth: str | None = None
    token_lifetime_hint: int = 3600  # what the PSP documents; the answer's expires_in wins


def _frozen(**values: str) -> Mapping[str, str]:
    return MappingProxyType(dict(values))


PROFILES: Mapping[str, Profile] = MappingProxyType({p.name: p for p in (
    Profile("generic", "Any PSP that follows BCB's spec (Basic + form, no scope)"),
    Profile(
        "efi", "Efí (formerly Gerencianet)", TokenRequest(credentials="basic", body="json"),
        production="https://pix.api.efipay.com.br/v2",
        production_oauth="https://pix.api.efipay.com.br/oauth/token",
        homologation="https://pix-h.api.efipay.com.br/v2",
        homologation_oauth="https://pix-h.api.efipay.com.br/oauth/token",
    ),
    Profile(
        "inter", "Banco Inter", TokenRequest(credentials="form", scope=PIX_SCOPES),
        production="https://cdpj.partners.bancointer.com.br/pix/v2",
        production_oauth="https://cdpj.partners.bancointer.com.br/oauth/v2/token",
        homologation="https://cdpj-sandbox.partners.uatinter.co/pix/v2",
        homologation_oauth="https://cdpj-sandbox.partners.uatinter.co/oauth/v2/token",
    ),
    Profile(
        "sicoob", "Sicoob",
        TokenRequest(credentials="form", sends_secret=False, scope=PIX_SCOPES),
        headers=_frozen(client_id="{client_id}"),
        production="https://api.sicoob.com.br/pix/api/v2",
        production_oauth="https://auth.sicoob.com.br/auth/realms/cooperado/protocol/"
                         "openid-connect/token",
        token_lifetime_hint=300,
    ),
    Profile(
        "bb", "Banco do Brasil", TokenRequest(credentials="basic", scope=PIX_SCOPES),
        query=_frozen(**{"gw-dev-app-key": "{app_key}"}),
        production="https://api-pix.bb.com.br/pix/v2",
        production_oauth="https://oauth.bb.com.br/oauth/token",
        homologation="https://api.hm.bb.com.br/pix/v2",
        homologation_oauth="https://oauth.hm.bb.com.br/oauth/token",
        token_lifetime_hint=600,
    ),
    Profile(
        "itau", "Itaú", TokenRequest(credentials="form"),
        production="https://secure.api.itau/pix_recebimentos/v2",
        production_oauth="https://sts.itau.com.br/as/token.oauth2",
        token_lifetime_hint=300,
    ),
    Profile(
        "santander", "Santander", TokenRequest(credentials="form", grant_in_query=True),
        production="https://trust-pix.santander.com.br/api/v1",
        production_oauth="https://trust-pix.santander.com.br/oauth/token",
        homologation="https://trust-pix-h.santander.com.br/api/v1",
        homologation_oauth="https://trust-pix-h.santander.com.br/oauth/token",
    ),
    Profile(
        "bradesco", "Bradesco", TokenRequest(credentials="basic"),
        production="https://qrpix.bradesco.com.br/v2",
        production_oauth="https://qrpix.bradesco.com.br/oauth/token",
        homologation="https://qrpix-h.bradesco.com.br/v2",
        homologation_oauth="https://qrpix-h.bradesco.com.br/oauth/token",
    ),
)})


def profile_named(name: str) -> Profile:
    """The profile for PIXGATE_PSP_PROFILE; settings.check() has refused unknown names."""
    return PROFILES[name]


def fill(template: Mapping[str, str], values: Mapping[str, str | None]) -> dict[str, str]:
    """Headers or query parameters with `{client_id}`-style placeholders filled in."""
    return {key: value.format_map({k: v or "" for k, v in values.items()})
            for key, value in template.items()}


def copia_e_cola(body: Mapping[str, object]) -> str | None:
    """The payer's code under whichever name the PSP uses for it."""
    for name in COPIA_E_COLA_FIELDS:
        value = body.get(name)
        if isinstance(value, str) and value:
            return value
    return None
