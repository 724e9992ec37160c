"""Idempotency keys: a retried create returns the first result instead of a second charge."""
