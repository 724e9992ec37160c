"""Compact JWS (RS256) of a cob payload, with the headers BCB asks for."""

from __future__ import annotations

from typing import Any

import jwt

from pixgate.jws.keys import LoadedKey


def sign_payload(payload: dict[str, Any], *, key: LoadedKey, jku: str) -> str:
    """Sign `payload` so a payer's bank can check it against the JWKS at `jku`."""
    headers = {"jku": jku, "kid": key.kid, "x5t": key.x5t, "x5t#S256": key.x5t_s256}
    return jwt.encode(payload, key.private_pem, algorithm="RS256", headers=headers)


def verify_payload(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """Check a JWS against a JWKS (the sandbox payer does what a bank app does)."""
    header = jwt.get_unverified_header(token)
    if header.get("alg") not in ("RS256", "PS256"):
        raise jwt.InvalidTokenError("the payload must be signed with RS256 or PS256")
    for jwk in jwks.get("keys", []):
        if jwk.get("kid") == header.get("kid"):
            public_key = jwt.PyJWK.from_dict(jwk).key
            return jwt.decode(token, public_key, algorithms=[header["alg"]],
                              options={"verify_aud": False, "require": []})
    raise jwt.InvalidTokenError(f"no key {header.get('kid')!r} in the JWKS")
