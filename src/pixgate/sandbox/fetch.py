"""How the sandbox payer fetches a location and a JWKS: through the SSRF guard, as a bank would."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from pixgate import egress
from pixgate.charges.errors import InvalidInput
from pixgate.config import Config

Fetch = Callable[[str], tuple[int, str]]  # URL -> (status, body text)
MAX_BYTES = 256 * 1024


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


def make_fetch(config: Config) -> Fetch:
    """GET through the guard; pixgate's own PIXGATE_PUBLIC_URL is the one trusted origin."""
    own = _origin(config.PUBLIC_URL)

    def fetch(url: str) -> tuple[int, str]:
        rules = egress.Rules(allow_private=config.ALLOW_PRIVATE_WEBHOOK_URLS,
                             trusted=_origin(url) == own, timeout=10, max_bytes=MAX_BYTES)
        try:
            reply = egress.request("GET", url, rules=rules, headers={"Accept": "application/jose"})
        except egress.Refused as exc:
            raise InvalidInput("pixCopiaECola", f"pixgate will not fetch {url!r}: {exc.reason}"
                               ) from None
        except egress.FetchFailed:
            return 0, ""  # network failures read as status 0 so the caller can explain
        return reply.status, reply.body.decode("utf-8", "replace")

    return fetch
