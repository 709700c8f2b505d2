"""A load killed midway (SIGKILL, a real subprocess) leaves the workspace as it was, and
running the command again completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from soar.ingest.store import Store
from soar.workspace import Workspace, init

ROWS = 400_000


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.csv"
    duckdb.sql(
        f"COPY (SELECT 'R' || i AS record_id, 'NAME' || (i % 997) AS first_name, "
        "'FAMILY' || (i % 4999) AS last_name, strftime(DATE '1950-01-01' + CAST(i % 20000 AS "
        "INTEGER), "
        f"'%Y-%m-%d') AS dob, lpad(CAST(i AS VARCHAR), 9, '0') AS a_number FROM range({ROWS}) "
        "t(i)) "
        f"TO '{path}' (HEADER)"
    )
    return path


def start(path: Path, home: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "soar",
            "ingest",
            str(path),
            "--kind",
            "immigration",
            "--home",
            str(home),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_when(process: subprocess.Popen[bytes], ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 120
    while not ready():
        assert process.poll() is None, "the ingest finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


def snapshot(workspace: Workspace) -> dict[str, bytes]:
    """What a reader can see: the manifest and every file it names."""
    store = Store(workspace)
    seen = {"manifest": store.manifest_path.read_bytes() if store.manifest_path.exists() else b""}
    for path in store.files("immigration"):
        seen[str(path)] = path.read_bytes()
    return seen


@pytest.mark.parametrize("moment", ["reading", "parquet written"])
def test_kill_midway_leaves_workspace_unchanged_and_rerun_completes(
    tmp_path: Path, big_csv: Path, moment: str
) -> None:
    workspace = init(tmp_path / "ws")
    staging = workspace.records / ".staging"

    def ready() -> bool:
        if moment == "reading":
            return staging.is_dir() and any(staging.iterdir())
        return any(staging.glob("*/records.parquet"))

    before = snapshot(workspace)
    kill_when(start(big_csv, workspace.home), ready)
    assert snapshot(workspace) == before
    assert Store(workspace).files("immigration") == []

    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "soar",
            "ingest",
            str(big_csv),
            "--kind",
            "immigration",
            "--home",
            str(workspace.home),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    files = [str(p) for p in Store(workspace).files("immigration")]
    count = duckdb.sql(f"SELECT count(*) FROM read_parquet({files})").fetchall()[0][0]
    assert count == ROWS
    assert not any(staging.iterdir()) if staging.exists() else True
