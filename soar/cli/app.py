"""The Typer application, shared consoles and the progress bar every long command uses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from soar import __version__

app = typer.Typer(
    name="soar",
    help="SOAR: registry cross-match operations on a fast probabilistic person linker.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    # Wide enough that `soar --help` shows each command's whole one-line summary.
    context_settings={"max_content_width": 120},
)
#: `--home` for every command that works on a workspace.
HomeOption = Annotated[
    Path | None,
    typer.Option("--home", help="Workspace folder (default: $SOAR_HOME, else ./soar-data)."),
]

# Long lines (paths, counts) stay whole when output goes to a file or a pipe.
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


def _version_callback(value: bool) -> None:
    if value:
        console.print(f"soar {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """SOAR: registry cross-match operations on a fast probabilistic person linker."""


class ProgressReporter:
    """Callable handed to library code: `report(done, total, description)`."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task = progress.add_task("", total=None)

    def __call__(self, done: int, total: int, description: str) -> None:
        self._progress.update(self._task, completed=done, total=total, description=description)


@contextmanager
def progress_bar() -> Iterator[ProgressReporter]:
    """A Rich progress bar on stderr that vanishes when stderr is not a terminal."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as progress:
        yield ProgressReporter(progress)
