"""OAuth2 client credentials for the BCB API: clients with hashed secrets, short-lived tokens."""

SCOPES = (
    "cob.read", "cob.write", "pix.read", "pix.write", "webhook.read", "webhook.write",
    "payloadlocation.read", "payloadlocation.write",
    "cobv.read", "cobv.write", "lotecobv.read", "lotecobv.write",
)
