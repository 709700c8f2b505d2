"""The README documents every command `soar --help` lists."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).parents[2] / "README.md"


def test_every_command_is_in_the_readme() -> None:
    listing = subprocess.run(
        [sys.executable, "-m", "soar", "--help"], capture_output=True, text=True, timeout=120
    ).stdout
    commands = re.findall(r"^  ([a-z][a-z-]*)\s{2,}\S", listing.split("Commands:")[1], re.M)
    assert len(commands) >= 10
    text = README.read_text(encoding="utf-8")
    missing = [name for name in commands if f"`soar {name}" not in text]
    assert missing == []


def test_readme_opens_with_the_two_commands() -> None:
    first_block = README.read_text(encoding="utf-8").split("```")[1]
    assert "make demo" in first_block and "make test" in first_block
