"""Which addresses a client-steered request may reach: public unicast only."""

from __future__ import annotations

import ipaddress

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Public addresses that still answer as a cloud's metadata or control service.
METADATA = (ipaddress.ip_network("168.63.129.16/32"),  # Azure wire server
            ipaddress.ip_network("100.100.100.200/32"),  # Alibaba (inside CGNAT too)
            ipaddress.ip_network("192.0.0.0/24"))  # IETF assignments; Oracle's 192.0.0.192
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Refused(Exception):
    """The URL or the address it resolved to is not allowed; nothing was sent."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_refusal(address: str | Address) -> str | None:
    """Why this address may not be reached (loopback, private, ...), or None when public."""
    try:
        ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    except ValueError:
        return f"{address!r} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return f"{ip} is scoped to an interface"
        if ip.teredo is not None:
            return f"{ip} is a Teredo tunnel address"
        inner = _embedded_v4(ip)
        if inner is not None:
            reason = address_refusal(inner)
            return f"{ip} embeds {inner}: {reason}" if reason else None
    checks = (("loopback", ip.is_loopback), ("unspecified", ip.is_unspecified),
              ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
              ("private", ip.is_private), ("reserved", ip.is_reserved),
              ("cloud metadata", any(ip in net for net in METADATA if net.version == ip.version)),
              ("not globally routable (CGNAT or special use)", not ip.is_global))
    for name, hit in checks:
        if hit:
            return f"{ip} is {name}"
    return None
