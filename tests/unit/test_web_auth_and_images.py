"""Dashboard sign-in rules and the sandbox's QR picture reader, without a server."""

from __future__ import annotations

import io
import secrets

import pytest
from PIL import Image

from pixgate import brcode
from pixgate.dashboard import auth
from pixgate.sandbox.qr_image import MAX_BYTES, UnreadableImage, decode_qr_image
from tests.factories import random_amount


def test_a_session_is_signed_in_only_with_the_current_password_and_secret() -> None:
    password, key, session = secrets.token_urlsafe(), secrets.token_hex(), {}
    assert not auth.signed_in(session, configured=password, secret_key=key)
    session["csrf"] = "planted-by-an-attacker"
    auth.sign_in(session, configured=password, secret_key=key)
    assert session["csrf"] != "planted-by-an-attacker"
    assert auth.signed_in(session, configured=password, secret_key=key)
    assert not auth.signed_in(session, configured=password + "x", secret_key=key)
    assert not auth.signed_in(session, configured=password, secret_key=key + "x")
    session["dashboard"]["until"] = 0
    assert not auth.signed_in(session, configured=password, secret_key=key)


def test_passwords_and_csrf_tokens_must_match_exactly() -> None:
    password = secrets.token_urlsafe()
    assert auth.password_matches(password, password)
    assert not auth.password_matches(password[:-1], password)
    session: dict = {}
    token = auth.csrf_token(session)
    assert auth.csrf_token(session) == token
    assert auth.csrf_valid(session, token)
    assert not auth.csrf_valid(session, token + "x")
    assert not auth.csrf_valid(session, None)
    assert not auth.csrf_valid({}, token)


def test_throttle_keys_ipv4_per_address_and_ipv6_per_64() -> None:
    from pixgate.dashboard.throttle import client_key

    assert client_key("203.0.113.7") == "203.0.113.7"
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:ffff::9")
    assert client_key("2001:db8:1:2::1") != client_key("2001:db8:1:3::1")
    assert client_key("::ffff:203.0.113.7") == "203.0.113.7"
    assert client_key(None) == client_key("not an address") == "unknown"


def test_throttle_delays_grow_after_the_free_failures_and_are_capped() -> None:
    from pixgate.dashboard.throttle import FREE_FAILURES, MAX_DELAY_SECONDS, delay_after

    assert [delay_after(n) for n in range(FREE_FAILURES)] == [0.0] * FREE_FAILURES
    grown = [delay_after(FREE_FAILURES + n) for n in range(5)]
    assert grown == sorted(grown) and grown[0] >= 1 and grown[-1] == 2 * grown[-2]
    assert delay_after(10_000) == MAX_DELAY_SECONDS


def _picture(code: str, fmt: str) -> bytes:
    image = Image.open(io.BytesIO(brcode.qr_png(code, scale=6))).convert("RGB")
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP", "BMP"])
def test_a_qr_picture_reads_back_to_its_code(fmt: str) -> None:
    code = brcode.encode_static(key="pagamentos@pixgate.example", name="Loja", city="Sao Paulo",
                                amount=random_amount(), txid=secrets.token_hex(8),
                                reusable=False)
    assert decode_qr_image(_picture(code, fmt)) == code


def test_pictures_that_cannot_be_read_say_why() -> None:
    blank = io.BytesIO()
    Image.new("RGB", (80, 80), "white").save(blank, "PNG")
    tiff = io.BytesIO()
    Image.new("RGB", (8, 8)).save(tiff, "TIFF")
    cases = {b"": "empty", b"%PDF-1.4": "not a readable picture",
             blank.getvalue(): "no QR code", tiff.getvalue(): "TIFF images are not accepted",
             b"\0" * (MAX_BYTES + 1): "larger than"}
    for data, reason in cases.items():
        with pytest.raises(UnreadableImage, match=reason):
            decode_qr_image(data)
