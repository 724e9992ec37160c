"""The SSRF guard: refusals before any connection, the connected address checked, bounds kept.

Nothing here leaves the loopback range: refusals use IP literals (refused before connecting) or
names that resolve locally, and acceptance runs on loopback with the development switch on.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from pixgate import egress
from pixgate.egress.transport import CheckedAdapter

STRICT = egress.Rules(https_only=True)
DEV = egress.Rules(allow_private=True, https_only=True, timeout=5, max_bytes=1024)


class _Server:
    """A loopback HTTP server that counts the connections it accepted."""

    def __init__(self) -> None:
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits += 1
                if self.path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", "/target")
                    self.end_headers()
                    return
                body = b"x" * (4096 if self.path == "/big" else 5)
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.port = self.httpd.server_address[1]

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[_Server]:
    running = _Server()
    yield running
    running.stop()


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "100.100.100.200", "168.63.129.16", "0.0.0.0",  # noqa: S104
    "224.0.0.1", "240.0.0.1",
    "255.255.255.255", "192.0.0.192", "198.18.0.1", "::1", "::", "fe80::1", "fc00::1",
    "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe",
    "2002:7f00:1::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "::127.0.0.1",
])
def test_non_public_addresses_are_refused(address: str) -> None:
    assert egress.address_refusal(address) is not None


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111",
                                     "::ffff:8.8.8.8", "64:ff9b::808:808"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert egress.address_refusal(address) is None


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/hook", "https://[::1]/hook", "https://169.254.169.254/latest/meta-data",
    "https://[::ffff:169.254.169.254]/", "https://2130706433/", "https://0x7f.1/", "https://127.1/",
    "https://10.0.0.1:8443/x", "https://localhost/hook", "https://api.localhost/hook",
    "http://merchant.example/hook", "ftp://merchant.example/hook", "file:///etc/passwd",
    "gopher://merchant.example/", "https://user:pass@merchant.example/", "https:///nohost",
    "https://merchant.example:99999/",
])
def test_urls_refused_before_connecting(url: str) -> None:
    with pytest.raises(egress.Refused):
        egress.check_url(url, STRICT)


def test_the_development_switch_lifts_the_address_and_https_rules_only() -> None:
    egress.check_url("http://127.0.0.1:8000/hook", DEV)
    for url in ("ftp://127.0.0.1/", "http://user:pw@127.0.0.1/"):
        with pytest.raises(egress.Refused):
            egress.check_url(url, DEV)


def test_a_refused_literal_is_never_contacted(server: _Server) -> None:
    with pytest.raises(egress.Refused):
        egress.request("GET", f"https://127.0.0.1:{server.port}/", rules=STRICT)
    with pytest.raises(egress.Refused):  # plain http too, when only the address rule applies
        egress.request("GET", f"http://127.0.0.1:{server.port}/", rules=egress.Rules())
    assert server.hits == 0


def test_a_name_is_checked_where_it_resolves_at_connect_time(server: _Server) -> None:
    # The adapter itself refuses what the URL check cannot see: a name resolving to loopback.
    with requests.Session() as session:
        session.trust_env = False
        session.mount("http://", CheckedAdapter())
        with pytest.raises(egress.Refused, match="resolves to"):
            session.get(f"http://localhost:{server.port}/", timeout=5)
    assert server.hits == 0


def test_loopback_is_reached_with_the_switch_and_redirects_are_not_followed(
    server: _Server,
) -> None:
    base = f"http://127.0.0.1:{server.port}"
    assert egress.request("GET", base + "/ok", rules=DEV) == egress.Reply(200, b"xxxxx")
    redirected = egress.request("GET", base + "/redirect", rules=DEV)
    assert redirected.status == 302 and server.hits == 2  # /target never asked for


def test_answers_over_the_size_bound_fail(server: _Server) -> None:
    with pytest.raises(egress.FetchFailed, match="larger than 1024"):
        egress.request("GET", f"http://127.0.0.1:{server.port}/big", rules=DEV)


def test_a_silent_server_times_out() -> None:
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)  # accepts the connection, never answers
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        rules = egress.Rules(allow_private=True, timeout=0.5)
        with pytest.raises(egress.FetchFailed, match="Timeout"):
            egress.request("GET", url, rules=rules)


def test_tls_through_the_checked_connection_verifies_the_name_not_the_address(
    tmp_path: object,
) -> None:
    # Loopback stands in for a public host here (a test-only refusal rule), so the real
    # TLS handshake runs: SNI and the certificate check use the URL's name, not the IP.
    import ssl

    import trustme

    authority = trustme.CA()
    certificate = authority.issue_cert("localhost")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _TLSHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    certificate.configure_cert(context)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    bundle = tmp_path / "ca.pem"  # type: ignore[operator]
    authority.cert_pem.write_to_path(str(bundle))

    def loopback_only(address: str) -> str | None:
        return None if address in ("127.0.0.1", "::1") else f"{address} is not the test server"

    try:
        with requests.Session() as session:
            session.trust_env = False
            session.mount("https://", CheckedAdapter(refusal=loopback_only))
            named = session.get(f"https://localhost:{port}/", verify=str(bundle), timeout=5)
            assert named.status_code == 200 and named.text == "tls"
            with pytest.raises(requests.exceptions.SSLError):  # the cert is not for the IP
                session.get(f"https://127.0.0.1:{port}/", verify=str(bundle), timeout=5)
    finally:
        httpd.shutdown()
        httpd.server_close()


class _TLSHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "3")
        self.end_headers()
        self.wfile.write(b"tls")

    def log_message(self, *args: object) -> None:
        pass
