"""Alembic environment: runs pixgate's migrations against the app's own engine."""

import logging

from alembic import context
from flask import current_app

logging.getLogger("alembic").setLevel(logging.INFO)
config = context.config
extension = current_app.extensions["migrate"]
target_metadata = extension.db.metadata


def run_offline() -> None:
    """Emit SQL for the configured URL without connecting."""
    url = extension.db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Apply migrations over a live connection, one transaction per migration where supported."""
    with extension.db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            **extension.configure_args,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
