"""The client certificate a PSP issued (PEM or PKCS#12) as an ssl.SSLContext for mutual TLS.

PSPs hand out `.p12`/`.pfx` files (Efí, Sicoob, Santander) or `.crt` + `.key` (Inter, BB). The
ssl module only loads PEM files, so a PKCS#12 identity is re-encoded and loaded from a private
temporary file whose key is encrypted with a one-time password; the plain key never touches disk.
"""

from __future__ import annotations

import os
import secrets
import ssl
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

PKCS12_SUFFIXES = (".p12", ".pfx")


class CertificateProblem(ValueError):
    """The certificate cannot be used; `variable` names the setting to fix."""

    def __init__(self, variable: str, reason: str) -> None:
        super().__init__(f"{variable}: {reason}")
        self.variable = variable
        self.reason = reason


@dataclass(frozen=True)
class ClientIdentity:
    """A certificate, its chain and its key, checked to belong together and to be valid now."""

    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    key: Any  # an RSA or EC private key of cryptography
    subject: str
    not_after: datetime

    def days_left(self, now: datetime | None = None) -> int:
        """Whole days until the PSP will refuse the certificate."""
        return (self.not_after - (now or datetime.now(UTC))).days


def load_identity(cert_path: str, *, password: str | None, key_path: str | None,
                  now: datetime | None = None) -> ClientIdentity:
    """Read and check a client certificate; raises CertificateProblem saying what is wrong."""
    path = Path(cert_path)
    if not path.is_file():
        raise CertificateProblem("PIXGATE_PSP_CERT", f"no such file: {cert_path}")
    data = path.read_bytes()
    if path.suffix.lower() in PKCS12_SUFFIXES or not data.lstrip().startswith(b"-----"):
        key, certificate, chain = _from_pkcs12(data, password)
    else:
        key, certificate, chain = _from_pem(data, password, key_path)
    _check_pair(certificate, key)
    moment = now or datetime.now(UTC)
    not_after, not_before = certificate.not_valid_after_utc, certificate.not_valid_before_utc
    if not_after < moment:
        raise CertificateProblem("PIXGATE_PSP_CERT", f"the certificate expired on "
                                 f"{not_after:%Y-%m-%d %H:%M} UTC; ask the PSP for a new one")
    if not_before > moment:
        raise CertificateProblem("PIXGATE_PSP_CERT", f"the certificate is not valid before "
                                 f"{not_before:%Y-%m-%d %H:%M} UTC (check the clock)")
    return ClientIdentity(certificate, chain, key, certificate.subject.rfc4514_string(),
                          not_after)


def _from_pkcs12(data: bytes, password: str | None) -> tuple[object, x509.Certificate, tuple]:
    attempts = [password.encode()] if password else [None, b""]  # Efí's files have no password
    for attempt in attempts:
        try:
            key, certificate, chain = pkcs12.load_key_and_certificates(data, attempt)
        except ValueError:
            continue
        if certificate is None or key is None:
            raise CertificateProblem("PIXGATE_PSP_CERT",
                                     "the PKCS#12 file holds no certificate with its key")
        return key, certificate, tuple(chain)
    if password:
        raise CertificateProblem("PIXGATE_PSP_CERT_PASSWORD", "wrong password for the PKCS#12 "
                                 "file (or the file is not PKCS#12)")
    raise CertificateProblem("PIXGATE_PSP_CERT_PASSWORD", "the PKCS#12 file needs a password")


def _from_pem(data: bytes, password: str | None, key_path: str | None
              ) -> tuple[object, x509.Certificate, tuple]:
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise CertificateProblem("PIXGATE_PSP_CERT", "not a PEM certificate nor a "
                                 "PKCS#12 (.p12/.pfx) file") from None
    if key_path:
        if not Path(key_path).is_file():
            raise CertificateProblem("PIXGATE_PSP_KEY", f"no such file: {key_path}")
        key_data, variable = Path(key_path).read_bytes(), "PIXGATE_PSP_KEY"
    elif b"PRIVATE KEY-----" in data:
        key_data, variable = data, "PIXGATE_PSP_CERT"
    else:
        raise CertificateProblem("PIXGATE_PSP_KEY", "a PEM certificate needs its key: set "
                                 "PIXGATE_PSP_KEY to the .key file")
    try:
        key = serialization.load_pem_private_key(
            key_data, password.encode() if password else None)
    except TypeError:
        raise CertificateProblem("PIXGATE_PSP_CERT_PASSWORD", "the key is encrypted: set "
                                 "PIXGATE_PSP_CERT_PASSWORD") from None
    except ValueError:
        reason = "wrong password for the key" if password else "not a readable PEM private key"
        raise CertificateProblem("PIXGATE_PSP_CERT_PASSWORD" if password else variable,
                                 reason) from None
    return key, certificates[0], tuple(certificates[1:])


def _check_pair(certificate: x509.Certificate, key: object) -> None:
    encoding, form = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if certificate.public_key().public_bytes(encoding, form) != \
            key.public_key().public_bytes(encoding, form):  # type: ignore[attr-defined]
        raise CertificateProblem("PIXGATE_PSP_KEY", "the key does not belong to the "
                                 "certificate (key mismatch)")


class HandshakeCounter:
    """TLS connections opened to the PSP; after warm-up a call should add none."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def add(self) -> None:
        """One more handshake."""
        with self._lock:
            self.count += 1


def _counting(base: type[ssl.SSLContext]) -> type[ssl.SSLContext]:
    # Built at call time: under gevent, ssl.SSLContext is gevent's cooperative class by then.
    class CountingContext(base):  # type: ignore[valid-type, misc]
        counter: HandshakeCounter | None = None

        def wrap_socket(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            if self.counter is not None:
                self.counter.add()
            return super().wrap_socket(*args, **kwargs)

    return CountingContext


def client_context(identity: ClientIdentity | None, *, ca_bundle: str | None,
                   counter: HandshakeCounter | None = None) -> ssl.SSLContext:
    """A TLS client context presenting `identity`, trusting the system CAs or `ca_bundle`."""
    context = _counting(ssl.SSLContext)(ssl.PROTOCOL_TLS_CLIENT)
    context.counter = counter  # type: ignore[attr-defined]
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if ca_bundle:
        if not Path(ca_bundle).is_file():
            raise CertificateProblem("PIXGATE_PSP_CA_BUNDLE", f"no such file: {ca_bundle}")
        try:
            context.load_verify_locations(cafile=ca_bundle)
        except ssl.SSLError as exc:
            raise CertificateProblem("PIXGATE_PSP_CA_BUNDLE", f"not a PEM CA file ({exc})") \
                from None
    else:
        context.load_default_certs()
    if identity is not None:
        _load_identity(context, identity)
    return context


def _load_identity(context: ssl.SSLContext, identity: ClientIdentity) -> None:
    one_time = secrets.token_urlsafe(24).encode()
    pem = identity.key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(one_time))
    for certificate in (identity.certificate, *identity.chain):
        pem += certificate.public_bytes(serialization.Encoding.PEM)
    descriptor, name = tempfile.mkstemp(prefix="pixgate-psp-", suffix=".pem")
    try:
        with os.fdopen(descriptor, "wb") as handle:  # mkstemp creates it 0600
            handle.write(pem)
        context.load_cert_chain(name, password=one_time)
    finally:
        os.unlink(name)
