"""The `soar` command. Each submodule registers its commands on `app`; all stay thin."""

from __future__ import annotations

import sys

from soar.cli import cases as _cases  # noqa: F401
from soar.cli import demo as _demo  # noqa: F401
from soar.cli import generate as _generate  # noqa: F401  (registers commands)
from soar.cli import ingest as _ingest  # noqa: F401
from soar.cli import linkage as _linkage  # noqa: F401
from soar.cli import pipeline as _pipeline  # noqa: F401
from soar.cli import policy as _policy  # noqa: F401
from soar.cli import web as _web  # noqa: F401
from soar.cli.app import app, err_console
from soar.errors import SoarError

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry: run the app, turning SoarError into one line on stderr."""
    try:
        app(standalone_mode=True)
    except SoarError as error:
        err_console.print(f"[bold red]error:[/] {error}", highlight=False)
        sys.exit(error.exit_code)
