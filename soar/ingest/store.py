"""Where ingested records live, and how a load becomes visible all at once.

`records/manifest.json` lists, per source (kind + jurisdiction), the load in force: its
Parquet files, the extract's content hash, and its counts; `history` keeps every load.
A load writes into `records/.staging/LOAD_ID/` and `quarantine/.staging/LOAD_ID/`, moves
them into place, then replaces the manifest with one atomic rename. Readers only open files
the manifest names, so a load killed at any point leaves the workspace as it was (its
leftovers are swept by the next run) and a partial Parquet file is never read.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soar.workspace import Workspace

MANIFEST = "manifest.json"
STAGING = ".staging"
MANIFEST_VERSION = 1


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Store:
    """The records store of one workspace."""

    workspace: Workspace

    @property
    def root(self) -> Path:
        return self.workspace.records

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    def manifest(self) -> dict[str, Any]:
        if not self.manifest_path.is_file():
            return {"version": MANIFEST_VERSION, "sources": {}, "history": []}
        data: dict[str, Any] = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        return data

    def current(self, source: str) -> dict[str, Any] | None:
        entry = self.manifest()["sources"].get(source)
        return dict(entry) if entry else None

    def staging(self, load_id: str) -> tuple[Path, Path]:
        """Fresh staging folders for a load's records and quarantine."""
        self.sweep()
        records = self.root / STAGING / load_id
        quarantine = self.workspace.quarantine / STAGING / load_id
        for folder in (records, quarantine):
            folder.mkdir(parents=True, exist_ok=True)
        return records, quarantine

    def sweep(self) -> None:
        """Remove what interrupted loads left behind: staging folders and unlisted loads."""
        for folder in (self.root / STAGING, self.workspace.quarantine / STAGING):
            shutil.rmtree(folder, ignore_errors=True)
        listed = {Path(entry["folder"]).name for entry in self.manifest()["sources"].values()} | {
            Path(entry["folder"]).name for entry in self.manifest()["history"]
        }
        for source_folder in self.root.iterdir() if self.root.is_dir() else []:
            if source_folder.name.startswith(".") or not source_folder.is_dir():
                continue
            for load in source_folder.iterdir():
                if load.is_dir() and load.name not in listed:
                    shutil.rmtree(load, ignore_errors=True)

    def commit(self, source: str, load_id: str, entry: dict[str, Any]) -> None:
        """Move a staged load into place and make it the source's current load."""
        records_target = self.root / source / load_id
        quarantine_target = self.workspace.quarantine / source / load_id
        for staged, target in (
            (self.root / STAGING / load_id, records_target),
            (self.workspace.quarantine / STAGING / load_id, quarantine_target),
        ):
            target.parent.mkdir(parents=True, exist_ok=True)
            staged.rename(target)
        manifest = self.manifest()
        entry = {**entry, "folder": str(records_target.relative_to(self.workspace.home))}
        manifest["sources"][source] = entry
        manifest["history"].append(entry)
        scratch = self.manifest_path.with_name(MANIFEST + f".{os.getpid()}.partial")
        with scratch.open("w", encoding="utf-8") as handle:
            json.dump(manifest, handle, indent=2, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        # The one step that makes the load visible: an atomic rename over the old manifest.
        scratch.replace(self.manifest_path)

    def files(self, kind: str) -> list[Path]:
        """The Parquet files in force for every source of `kind` (e.g. all registries).

        Offenses come from offense extracts and from registries that carry them inline.
        """
        out = []
        for entry in self.manifest()["sources"].values():
            folder = self.workspace.home / entry["folder"]
            if entry["kind"] == kind:
                out.append(folder / "records.parquet")
            if kind == "offense" and (folder / "offenses.parquet").is_file():
                out.append(folder / "offenses.parquet")
        return sorted(out)
