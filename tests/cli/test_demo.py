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
    assert "Ingested 9 extracts" in result.stdout  # the USCIS certificates are the ninth
    assert "0 quarantined" in result.stdout
    assert (home / "workspace" / "records" / "manifest.json").is_file()
    assert "Linked" in result.stdout and "registrants after dedupe" in result.stdout
    assert "Policy 2021-02-interim" in result.stdout and "→ priority" in result.stdout
    assert (home / "workspace" / "reports" / "leads.csv").is_file()
    assert "Audit chain:" in result.stdout and "verified" in result.stdout
