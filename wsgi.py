"""Entry point for tools that look for an app in the working directory.

`flask db upgrade` (as the seed documented) finds this file and calls the factory; so do
`gunicorn 'wsgi:create_app()'` and other WSGI servers. Production uses `pixgate serve`.
"""

from pixgate import create_app

__all__ = ["create_app"]
