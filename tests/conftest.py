"""Shared fixtures: small synthetic populations made once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from soar.synth.generate import generate


@pytest.fixture(scope="session")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4,000 persons, seed 7: big enough for rates to settle, small enough to be quick."""
    out = tmp_path_factory.mktemp("synth") / "pop"
    generate(4_000, 7, out)
    return out
