"""The signature scheme: what is accepted and every way it is refused."""

from __future__ import annotations

import json
import secrets
import time

import pytest

from pixgate import signing


@pytest.fixture
def secret() -> str:
    return "whsec_" + secrets.token_hex(8)


@pytest.fixture
def body() -> bytes:
    return json.dumps({"bank_payment_id": secrets.token_hex(6), "value": 10}).encode()


def test_a_fresh_signature_verifies(secret: str, body: bytes) -> None:
    signing.verify(signing.sign(secret, body), body, [secret])


def test_known_vector_matches_hmac_sha256() -> None:
    # HMAC-SHA256(key="k", msg="1700000000.{}") computed independently with openssl
    import hashlib
    import hmac

    expected = hmac.new(b"k", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert signing.sign("k", b"{}", timestamp=1700000000) == f"t=1700000000,v1={expected}"


@pytest.mark.parametrize(
    "header",
    [None, "", "garbage", "t=abc,v1=00", "v1=00", "t=1700000000", "t=,v1=", "t=1,v1=zz,x"],
)
def test_missing_or_malformed_is_refused(secret: str, body: bytes, header: str | None) -> None:
    with pytest.raises(signing.SignatureError):
        signing.verify(header, body, [secret], now=1700000000)


def test_wrong_secret_is_refused(secret: str, body: bytes) -> None:
    with pytest.raises(signing.SignatureError, match="does not match"):
        signing.verify(signing.sign("other", body), body, [secret])


def test_tampered_body_is_refused(secret: str, body: bytes) -> None:
    header = signing.sign(secret, body)
    with pytest.raises(signing.SignatureError):
        signing.verify(header, body.replace(b": 10", b": 11"), [secret])


@pytest.mark.parametrize("skew", [-301, 301, -10_000, 10_000])
def test_stale_or_future_timestamps_are_refused(secret: str, body: bytes, skew: int) -> None:
    now = int(time.time())
    header = signing.sign(secret, body, timestamp=now + skew)
    with pytest.raises(signing.SignatureError, match="away from now"):
        signing.verify(header, body, [secret], now=now)


@pytest.mark.parametrize("skew", [-300, 0, 300])
def test_within_tolerance_is_accepted(secret: str, body: bytes, skew: int) -> None:
    now = int(time.time())
    signing.verify(signing.sign(secret, body, timestamp=now + skew), body, [secret], now=now)


def test_rotation_accepts_either_secret_and_either_v1(secret: str, body: bytes) -> None:
    old, new = secret, "whsec_" + secrets.token_hex(8)
    configured = signing.secrets_from(f"{new}, {old}")
    assert configured == [new, old]
    signing.verify(signing.sign(old, body), body, configured)
    t = int(time.time())
    two = f"t={t},v1={signing.compute('bogus', t, body)},v1={signing.compute(new, t, body)}"
    signing.verify(two, body, [new])
