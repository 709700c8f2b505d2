"""`soar demo` runs the pipeline to the end on a fresh folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_demo_runs_to_the_end_in_a_fresh_folder(tmp_path: Path) -> None:
    home = tmp_path / "nested" / "demo"
    result = subprocess.run(
        [sys.executable, "-m", "soar", "demo", "--home", str(home), "--persons", "800"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "Generated 800 persons" in result.stdout
    assert (home / "source" / "truth.csv").is_file()
    assert "Ingested 8 extracts" in result.stdout
    assert "0 quarantined" in result.stdout
    assert (home / "workspace" / "records" / "manifest.json").is_file()
