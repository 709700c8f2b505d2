"""The workspace: one folder holding an operation's data (DESIGN.md).

`config.toml`, `records/` (canonical Parquet per source), `linkage/` (model, pairs,
clusters), `quarantine/` (rows that could not be used, with reasons), `reports/`, and the
case store `cases.sqlite` unless `SOAR_DATABASE_URL` points elsewhere. Commands find it
through `--home`, then `SOAR_HOME`, then `./soar-data`.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soar.errors import InputError

DEFAULT_HOME = Path("soar-data")
SUBFOLDERS = ("records", "linkage", "quarantine", "reports")

DEFAULT_CONFIG = """\
# SOAR workspace settings. Every key is optional; these are the defaults.

[linkage]
threshold = 0.5          # match probability at or above which a pair is a match
review_threshold = 0.2   # pairs between this and `threshold` go to human review

[database]
# url = "postgresql+psycopg://user@host/dbname"   # default: cases.sqlite in this folder
"""


@dataclass(frozen=True)
class Workspace:
    """A workspace folder and the paths inside it."""

    home: Path

    @property
    def config_path(self) -> Path:
        return self.home / "config.toml"

    @property
    def records(self) -> Path:
        return self.home / "records"

    @property
    def linkage(self) -> Path:
        return self.home / "linkage"

    @property
    def quarantine(self) -> Path:
        return self.home / "quarantine"

    @property
    def reports(self) -> Path:
        return self.home / "reports"

    def database_url(self) -> str:
        """`SOAR_DATABASE_URL`, else `[database] url` in config.toml, else cases.sqlite."""
        url = os.environ.get("SOAR_DATABASE_URL") or self.config().get("database", {}).get("url")
        if url:
            return str(url)
        return f"sqlite:///{(self.home / 'cases.sqlite').resolve()}"

    def config(self) -> dict[str, Any]:
        """The parsed config.toml (empty when the file is absent)."""
        if not self.config_path.is_file():
            return {}
        try:
            with self.config_path.open("rb") as handle:
                return tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise InputError(
                f"{self.config_path}: not valid TOML ({error}); fix or remove it"
            ) from error

    def exists(self) -> bool:
        return self.config_path.is_file()

    def require(self) -> Workspace:
        """This workspace, or an error saying how to create it."""
        if not self.exists():
            raise InputError(
                f"no SOAR workspace at {self.home} (no config.toml); "
                f"create one with `soar init {self.home}` or point --home / SOAR_HOME at one"
            )
        return self


def resolve(home: Path | None = None) -> Workspace:
    """The workspace named by `--home`, then `SOAR_HOME`, then `./soar-data`."""
    if home is not None:
        return Workspace(home)
    env = os.environ.get("SOAR_HOME")
    return Workspace(Path(env) if env else DEFAULT_HOME)


def init(home: Path) -> Workspace:
    """Create a workspace at `home` (idempotent: an existing one is left as it is)."""
    if home.exists() and not home.is_dir():
        raise InputError(f"{home} is a file; choose a folder for the workspace")
    workspace = Workspace(home)
    try:
        home.mkdir(parents=True, exist_ok=True)
        for name in SUBFOLDERS:
            (home / name).mkdir(exist_ok=True)
        if not workspace.config_path.exists():
            scratch = workspace.config_path.with_suffix(".toml.partial")
            scratch.write_text(DEFAULT_CONFIG, encoding="utf-8")
            scratch.replace(workspace.config_path)
    except PermissionError as error:
        raise InputError(f"cannot create a workspace at {home}: permission denied") from error
    return workspace
