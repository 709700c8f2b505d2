"""`soar serve` and `soar demo --serve` as a person types them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from soar.cases import db, users
from soar.cli import app
from soar.web.demo import enable_demo_logins

from .conftest import make_store


def test_serve_help_names_its_options() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--home", "--host", "--port"):
        assert option in result.output


def test_serve_refuses_a_folder_that_is_not_a_workspace(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--home", str(tmp_path / "nothing")])
    # In-process the error is raised for `soar.cli.main` to print; it names the fix.
    assert "no SOAR workspace" in str(result.exception)
    assert "soar init" in str(result.exception)


def test_demo_has_a_serve_option() -> None:
    result = CliRunner().invoke(app, ["demo", "--help"])
    assert result.exit_code == 0 and "--serve" in result.output


def test_demo_logins_get_one_fresh_password(tmp_path: Path) -> None:
    url = make_store(tmp_path / "ws")
    store = db.open_store(url)
    try:
        first = enable_demo_logins(store, ["alice", "hugo"])
        second = enable_demo_logins(store, ["alice"])
        with store.transaction() as session:
            assert first != second and len(first) >= 12
            assert users.authenticate(session, "alice", second) is not None
            assert users.authenticate(session, "hugo", first) is not None
            assert users.authenticate(session, "alice", first) is None
    finally:
        store.close()
