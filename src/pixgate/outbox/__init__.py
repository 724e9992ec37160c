"""Transactional outbox: events written with the state change, delivered after commit."""
