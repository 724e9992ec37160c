"""Outgoing webhooks: signed, retried with backoff for about three days, then dead-lettered."""
