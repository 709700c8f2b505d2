"""`python -m soar` runs the `soar` command."""

from soar.cli import main

main()
