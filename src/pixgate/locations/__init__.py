"""Payload locations: the URL a dynamic BR Code carries, serving the cob as a signed JWS."""
