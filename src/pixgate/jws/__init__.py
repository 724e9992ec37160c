"""Signed payloads for dynamic BR Codes: a key pixgate generates and keeps, a JWKS to verify."""
