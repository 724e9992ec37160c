"""How the sandbox payer fetches a location and a JWKS: plain HTTP, as a bank app would."""

from __future__ import annotations

import requests


def http_fetch(url: str) -> tuple[int, str]:
    """GET `url`; network failures read as status 0 so the caller can explain."""
    try:
        response = requests.get(url, timeout=10, headers={"Accept": "application/jose"})
    except requests.RequestException:
        return 0, ""
    return response.status_code, response.text
