"""`python -m pixgate` is the `pixgate` command."""

from pixgate.cli import main

main()
