"""Fixtures for linkage tests: one shared unsupervised run, and small record files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from linkage_people import Linked, make_files, write

from soar.linkage import match


@pytest.fixture(scope="session")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Linked:
    """One unsupervised run on 1,500 x 1,450 invented records, shared by the tests."""
    folder = tmp_path_factory.mktemp("linked")
    left, right, truth, people = make_files(folder)
    result = match(left, right, threshold=0.01)
    result.model.save(folder / "model.json")
    return Linked(left, right, truth, people, result, folder)


@pytest.fixture
def records(tmp_path: Path) -> Callable[..., Path]:
    """Write a small CSV of records: `records("name.csv", header, rows)`."""

    def make(name: str, header: list[str], rows: list[list[str]]) -> Path:
        return write(tmp_path / name, rows, header)

    return make
