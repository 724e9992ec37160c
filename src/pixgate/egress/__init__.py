"""The one guard for every outgoing request a client can steer (SSRF): see guard.request."""

from pixgate.egress.addresses import Refused, address_refusal
from pixgate.egress.guard import FetchFailed, Reply, Rules, check_url, request

__all__ = ["FetchFailed", "Refused", "Reply", "Rules", "address_refusal", "check_url", "request"]
