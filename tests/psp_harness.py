"""Process B: a real pixgate (PIXGATE_SANDBOX=1) acting as the merchant's PSP behind mutual TLS.

Certificates are made at test time with trustme: a CA, a server certificate for 127.0.0.1 and
a client certificate exported as a password-protected `.p12`, as PSPs hand them out. B is
gunicorn running pixgate's app with `--cert-reqs 2`: a connection without a certificate from
the CA is refused during the handshake. `merchant_env` is what process A needs to use B.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
import trustme
from bench.server import free_ports
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from pixgate.ops.gunicorn import APP, Settings, argv
from tests.e2e.conftest import server_env
from tests.fault_proxy import HttpFaultProxy, mtls_server_context

CERT_REQUIRED = "2"  # ssl.CERT_REQUIRED, as gunicorn's --cert-reqs wants it


@dataclass
class Certificates:
    """Files of one test run's PKI; `client_p12` is A's identity at B."""

    directory: Path
    ca: trustme.CA
    ca_pem: Path
    server_pem: Path
    server_key: Path
    client_p12: Path
    client_password: str
    client_pem: Path  # the same identity as PEM (cert chain + key), for test-side clients

    def issue_p12(self, name: str, *, password: str | None = None,
                  ca: trustme.CA | None = None, not_after: datetime | None = None,
                  not_before: datetime | None = None) -> Path:
        """Another client identity as .p12: from another CA, expired, or with another password."""
        leaf = (ca or self.ca).issue_cert(f"{name}.merchant.test", common_name=name,
                                          not_before=not_before, not_after=not_after)
        return export_p12(leaf, self.directory / f"{name}.p12", password)


def export_p12(leaf: trustme.LeafCert, path: Path, password: str | None) -> Path:
    """A PKCS#12 file from a trustme leaf, encrypted when `password` is given."""
    key = serialization.load_pem_private_key(leaf.private_key_pem.bytes(), None)
    chain = [x509.load_pem_x509_certificate(blob.bytes()) for blob in leaf.cert_chain_pems]
    encryption = (serialization.BestAvailableEncryption(password.encode()) if password
                  else serialization.NoEncryption())
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"pixgate-merchant", key, chain[0], chain[1:] or None, encryption))  # type: ignore[arg-type]
    return path


def make_certificates(directory: Path) -> Certificates:
    """A CA, B's server certificate for 127.0.0.1 and A's client certificate (.p12 + PEM)."""
    directory.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA(organization_name="pixgate test PSP")
    ca_pem = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    server = ca.issue_cert("127.0.0.1", "localhost")
    server_pem, server_key = directory / "server.pem", directory / "server.key"
    for index, blob in enumerate(server.cert_chain_pems):
        blob.write_to_path(str(server_pem), append=index > 0)
    server.private_key_pem.write_to_path(str(server_key))
    password = secrets.token_urlsafe(12)
    client = ca.issue_cert("merchant-a.merchant.test", common_name="merchant-a")
    client_p12 = export_p12(client, directory / "merchant-a.p12", password)
    client_pem = directory / "merchant-a.pem"
    client.private_key_and_cert_chain_pem.write_to_path(str(client_pem))
    return Certificates(directory, ca, ca_pem, server_pem, server_key, client_p12, password,
                        client_pem)


def expired(days: int = 1) -> dict[str, datetime]:
    """Validity arguments for a certificate that expired `days` ago."""
    now = datetime.now(UTC)
    return {"not_before": now - timedelta(days=400), "not_after": now - timedelta(days=days)}


@dataclass
class PspServer:
    """Process B and what a client needs to reach it."""

    port: int
    env: dict[str, str]
    certificates: Certificates
    log: Path
    client_id: str = ""
    client_secret: str = ""
    process: subprocess.Popen[bytes] | None = None
    extra_tls_args: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        """B's origin."""
        return f"https://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """Where /cob, /pix and /webhook live (B's API_BASE_PATH)."""
        return self.url + self.env.get("PIXGATE_API_BASE_PATH", "/v2")

    @property
    def token_url(self) -> str:
        """B's OAuth2 token endpoint."""
        return self.url + "/oauth/token"

    def session(self) -> requests.Session:
        """A test-side client of B (for paying a cob with B's sandbox, reading B's state)."""
        session = requests.Session()
        session.trust_env = False
        session.verify = str(self.certificates.ca_pem)
        session.cert = str(self.certificates.client_pem)
        return session

    def start(self) -> None:
        """Start (or restart on the same port) gunicorn serving pixgate over mutual TLS."""
        command = argv(Settings(port=self.port))
        command = [*command[:-1], "--certfile", str(self.certificates.server_pem),
                   "--keyfile", str(self.certificates.server_key),
                   "--ca-certs", str(self.certificates.ca_pem), "--cert-reqs", CERT_REQUIRED,
                   *self.extra_tls_args, APP]
        assert command[-1] == APP
        self.process = subprocess.Popen(
            command, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + 60
        with self.session() as session:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"PSP exited: {self.log.read_text()[-2000:]}")
                try:
                    session.get(self.url + "/payments/pix/0/status", timeout=5)
                    return
                except requests.RequestException:
                    time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"PSP did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        """Stop B (its whole process group); `start()` brings it back on the same port."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def pixgate(self, *args: str) -> str:
        """Run a `pixgate` command against B's database; returns its stdout."""
        done = subprocess.run(
            [sys.executable, "-m", "pixgate", *args], env=self.env, capture_output=True,
            timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"pixgate {' '.join(args)}: {done.stderr.decode()[-2000:]}")
        return done.stdout.decode()


def start_psp(tmp_path: Path, certificates: Certificates | None = None, *,
              database_url: str | None = None, **extra_env: str) -> PspServer:
    """Migrate B's database, create A's OAuth client on B, and start B over mutual TLS."""
    certificates = certificates or make_certificates(tmp_path / "pki")
    port = free_ports(1)
    env = server_env(tmp_path, PIXGATE_SANDBOX="1", PIXGATE_PUBLIC_URL=f"https://127.0.0.1:{port}",
                     PIXGATE_PIX_KEY="psp-b@pixgate.example", PIXGATE_MERCHANT_NAME="PSP B")
    if database_url:
        env["PIXGATE_DATABASE_URL"] = database_url
    env.update(extra_env)
    server = PspServer(port=port, env=env, certificates=certificates,
                       log=tmp_path / f"psp-{port}.log")
    server.pixgate("db", "upgrade")
    created = server.pixgate("client", "create", "merchant-a")
    server.client_id = re.search(r"client_id:\s+(\S+)", created).group(1)  # type: ignore[union-attr]
    server.client_secret = re.search(  # type: ignore[union-attr]
        r"client_secret:\s+(\S+)", created).group(1)
    server.start()
    return server


def front(psp: PspServer) -> HttpFaultProxy:
    """A recording, fault-injecting proxy in front of B that demands A's certificate too.

    Pass it to `merchant_env(psp, via=proxy)`; its `handshakes` are A's TLS handshakes.
    """
    certificates = psp.certificates
    context = mtls_server_context(str(certificates.server_pem), str(certificates.server_key),
                                  str(certificates.ca_pem))
    return HttpFaultProxy(psp.url, server_context=context, upstream_session=psp.session())


def merchant_env(psp: PspServer, *, via: HttpFaultProxy | None = None,
                 **overrides: str) -> dict[str, str]:
    """The PIXGATE_PSP_* variables of process A pointing at B (or at a proxy in front of B)."""
    origin = via.url if via is not None else psp.url
    env = {
        "PIXGATE_PSP": "bcb",
        "PIXGATE_PSP_BASE_URL": origin + psp.base_url[len(psp.url):],
        "PIXGATE_PSP_TOKEN_URL": origin + psp.token_url[len(psp.url):],
        "PIXGATE_PSP_CLIENT_ID": psp.client_id,
        "PIXGATE_PSP_CLIENT_SECRET": psp.client_secret,
        "PIXGATE_PSP_CERT": str(psp.certificates.client_p12),
        "PIXGATE_PSP_CERT_PASSWORD": psp.certificates.client_password,
        "PIXGATE_PSP_CA_BUNDLE": str(psp.certificates.ca_pem),
        "PIXGATE_PSP_PROFILE": "generic",
        "PIXGATE_PSP_WEBHOOK_TOKEN": secrets.token_urlsafe(24),
    }
    env.update(overrides)
    return env
