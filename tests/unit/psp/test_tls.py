"""Client certificates as PSPs hand them out (PEM pair, combined PEM, .p12 with or without a
password), and each way they go wrong, said by name."""

from __future__ import annotations

import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import trustme
from cryptography.hazmat.primitives import serialization

from pixgate.psp.tls import CertificateProblem, client_context, load_identity
from tests.psp_harness import export_p12


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    """One CA for the module."""
    return trustme.CA()


def pem_pair(ca: trustme.CA, directory: Path, *, password: str | None = None,
             **validity: datetime) -> tuple[Path, Path]:
    """A .crt and a .key (encrypted when `password` is given), as Inter and BB deliver them."""
    leaf = ca.issue_cert("shop.example", **validity)
    crt, key = directory / "shop.crt", directory / "shop.key"
    leaf.cert_chain_pems[0].write_to_path(str(crt))
    private = serialization.load_pem_private_key(leaf.private_key_pem.bytes(), None)
    encryption = (serialization.BestAvailableEncryption(password.encode()) if password
                  else serialization.NoEncryption())
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8, encryption))
    return crt, key


def test_pem_pair_and_combined_pem_load(ca: trustme.CA, tmp_path: Path) -> None:
    crt, key = pem_pair(ca, tmp_path)
    identity = load_identity(str(crt), password=None, key_path=str(key))
    assert "O=trustme" in identity.subject
    assert identity.days_left() > 300
    combined = tmp_path / "combined.pem"
    combined.write_bytes(crt.read_bytes() + key.read_bytes())
    assert load_identity(str(combined), password=None, key_path=None).not_after == \
        identity.not_after
    context = client_context(identity, ca_bundle=None)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


def test_encrypted_pem_key_needs_the_right_password(ca: trustme.CA, tmp_path: Path) -> None:
    crt, key = pem_pair(ca, tmp_path, password="s3cret")
    load_identity(str(crt), password="s3cret", key_path=str(key))
    for password, reason in ((None, "the key is encrypted"), ("nope", "wrong password")):
        with pytest.raises(CertificateProblem) as caught:
            load_identity(str(crt), password=password, key_path=str(key))
        assert caught.value.variable == "PIXGATE_PSP_CERT_PASSWORD"
        assert reason in caught.value.reason


def test_p12_with_and_without_password(ca: trustme.CA, tmp_path: Path) -> None:
    leaf = ca.issue_cert("shop.example")
    efi = export_p12(leaf, tmp_path / "efi.p12", None)  # Efí's files have no password
    load_identity(str(efi), password=None, key_path=None)
    locked = export_p12(leaf, tmp_path / "locked.pfx", "right")
    load_identity(str(locked), password="right", key_path=None)
    for password in (None, "wrong"):
        with pytest.raises(CertificateProblem) as caught:
            load_identity(str(locked), password=password, key_path=None)
        assert caught.value.variable == "PIXGATE_PSP_CERT_PASSWORD"


def test_expired_and_not_yet_valid_are_refused(ca: trustme.CA, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    old = export_p12(ca.issue_cert("old.example", not_before=now - timedelta(days=400),
                                   not_after=now - timedelta(days=2)), tmp_path / "o.p12", None)
    with pytest.raises(CertificateProblem, match="expired on"):
        load_identity(str(old), password=None, key_path=None)
    future = export_p12(ca.issue_cert("new.example", not_before=now + timedelta(days=2)),
                        tmp_path / "f.p12", None)
    with pytest.raises(CertificateProblem, match="not valid before"):
        load_identity(str(future), password=None, key_path=None)


def test_a_key_of_another_certificate_is_a_mismatch(ca: trustme.CA, tmp_path: Path) -> None:
    crt, _ = pem_pair(ca, tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    _, stranger_key = pem_pair(ca, other)
    with pytest.raises(CertificateProblem) as caught:
        load_identity(str(crt), password=None, key_path=str(stranger_key))
    assert caught.value.variable == "PIXGATE_PSP_KEY" and "mismatch" in caught.value.reason


def test_missing_and_unreadable_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(CertificateProblem) as caught:
        load_identity(str(tmp_path / "none.p12"), password=None, key_path=None)
    assert caught.value.variable == "PIXGATE_PSP_CERT"
    garbage = tmp_path / "cert.pem"
    garbage.write_text("-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")
    with pytest.raises(CertificateProblem) as caught:
        load_identity(str(garbage), password=None, key_path=None)
    assert caught.value.variable == "PIXGATE_PSP_CERT"
    with pytest.raises(CertificateProblem) as caught:
        client_context(None, ca_bundle=str(garbage))
    assert caught.value.variable == "PIXGATE_PSP_CA_BUNDLE"
