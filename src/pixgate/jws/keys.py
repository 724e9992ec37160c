"""Generate, load and publish the signing keys (JWKS with x5c, x5t and x5t#S256)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import select
from sqlalchemy.orm import Session

from pixgate.db.types import utcnow
from pixgate.jws.models import SigningKey


def b64url(data: bytes) -> str:
    """Unpadded base64url, as JOSE headers want."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class LoadedKey:
    """A key ready to sign with, and the values its JWS header and JWK carry."""

    kid: str
    private_pem: bytes
    cert_der: bytes

    @property
    def x5t(self) -> str:
        return b64url(hashlib.sha1(self.cert_der).digest())  # noqa: S324 - JOSE defines x5t as SHA-1

    @property
    def x5t_s256(self) -> str:
        return b64url(hashlib.sha256(self.cert_der).digest())

    def jwk(self) -> dict[str, Any]:
        """The public JWK, with the certificate chain."""
        cert = x509.load_der_x509_certificate(self.cert_der)
        jwk = json.loads(RSAAlgorithm.to_jwk(cert.public_key()))
        jwk.update(kid=self.kid, use="sig", alg="RS256",
                   x5c=[base64.b64encode(self.cert_der).decode()],
                   x5t=self.x5t, **{"x5t#S256": self.x5t_s256})
        return jwk


def _generate(common_name: str) -> SigningKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64] or "pixgate")])
    now = utcnow()
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=825))
        .sign(key, hashes.SHA256())
    )
    return SigningKey(
        kid=secrets.token_hex(8),
        private_pem=key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()).decode(),
        cert_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
    )


def _load(row: SigningKey) -> LoadedKey:
    cert = x509.load_pem_x509_certificate(row.cert_pem.encode())
    return LoadedKey(kid=row.kid, private_pem=row.private_pem.encode(),
                     cert_der=cert.public_bytes(serialization.Encoding.DER))


def current_key(session: Session, *, common_name: str) -> LoadedKey:
    """The newest key, generated on first use."""
    row = session.scalar(select(SigningKey).order_by(SigningKey.id.desc()).limit(1))
    if row is None:
        row = _generate(common_name)
        session.add(row)
        session.commit()
    return _load(row)


def all_keys(session: Session) -> list[LoadedKey]:
    """Every key still published (old ones stay so payloads signed with them verify)."""
    return [_load(row) for row in session.scalars(select(SigningKey).order_by(SigningKey.id))]
