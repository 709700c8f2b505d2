"""The command line as a person meets it: help, version, errors on stderr with exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from soar import __version__


def soar(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "soar", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_help_lists_every_command_with_a_line_each() -> None:
    result = soar("--help")
    assert result.returncode == 0
    for command in ("generate", "demo"):
        line = next(line for line in result.stdout.splitlines() if f" {command} " in line)
        assert len(line.split(command, 1)[1].strip()) > 10, line


def test_version() -> None:
    result = soar("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"soar {__version__}"


def test_unknown_option_is_a_usage_error_on_stderr() -> None:
    result = soar("generate", "--out", "x", "--no-such-option")
    assert result.returncode == 2
    assert "--no-such-option" in result.stderr
    assert result.stdout == ""


def test_bad_persons_is_one_line_on_stderr_with_exit_2(tmp_path: Path) -> None:
    result = soar("generate", "--persons", "0", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "--persons must be at least 1" in result.stderr
    assert not (tmp_path / "out").exists()


def test_unwritable_out_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = soar("generate", "--persons", "10", "--out", str(locked / "out"))
    finally:
        locked.chmod(0o700)
    if result.returncode == 0:
        # root ignores permission bits: the run succeeds and writes a complete folder.
        assert (locked / "out" / "truth.csv").is_file()
    else:
        assert result.returncode == 2
        assert "permission denied" in result.stderr
        assert list(locked.iterdir()) == []


def test_generate_prints_a_summary_without_progress_noise_when_piped(tmp_path: Path) -> None:
    result = soar("generate", "--persons", "300", "--seed", "5", "--out", str(tmp_path / "pop"))
    assert result.returncode == 0, result.stderr
    assert "Generated 300 persons" in result.stdout
    assert "truth.csv" in result.stdout
    assert "\r" not in result.stdout + result.stderr  # no progress bar off a terminal
    assert (tmp_path / "pop" / "README.txt").is_file()
