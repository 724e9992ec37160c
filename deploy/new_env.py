"""Write the .env that docker-compose.yml reads: random secrets, once, never over a file.

Usage: python3 deploy/new_env.py PATH   (`make env` runs it for ./.env)
"""

from __future__ import annotations

import os
import secrets
import sys

# Every secret docker-compose.yml interpolates; each is 43 URL-safe characters (32 bytes).
SECRETS = (
    "PIXGATE_SECRET_KEY",          # Flask sessions (dashboard login)
    "PIXGATE_WEBHOOK_SECRET",      # verifies signed confirmations and /webhooks/pix calls
    "PIXGATE_NOTIFY_SECRET",       # signs the webhooks pixgate sends to PIXGATE_NOTIFY_URL
    "PIXGATE_DASHBOARD_PASSWORD",  # /dashboard
    "MYSQL_PASSWORD",              # the pixgate user of the compose MySQL
)


def main(path: str) -> int:
    """Create `path` with mode 0600; leave an existing file untouched (secrets stay stable)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        print(f"{path} exists; left as it is (delete it to mint new secrets)", file=sys.stderr)
        return 0
    with os.fdopen(fd, "w") as env:
        env.write("# Written once by `make env`; docker-compose.yml reads it. Keep it private.\n")
        for name in SECRETS:
            env.write(f"{name}={secrets.token_urlsafe(32)}\n")
    print(f"wrote {path} with new random secrets", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ".env"))
