"""Subcommands of `pixgate`, one module each, registered by `pixgate.cli`."""
