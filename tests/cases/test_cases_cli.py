"""The case-store commands as a person types them, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from soar.cli import app
from soar.workspace import init

from .conftest import LEADS_FIXTURE

SECRET = "a very long secret phrase"


@pytest.fixture
def home(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace whose case store is the test database (SOAR_DATABASE_URL)."""
    monkeypatch.setenv("SOAR_DATABASE_URL", database_url)
    workspace = init(tmp_path / "ws")
    return workspace.home


def soar(home: Path, *args: str, stdin: str | None = None) -> tuple[int, str, BaseException | None]:
    """Run a command in-process; returns exit code, output, and the error if one was raised."""
    result = CliRunner().invoke(app, [*args, "--home", str(home)], input=stdin)
    error = result.exception if not isinstance(result.exception, SystemExit) else None
    return result.exit_code, result.output, error


def setup_store(home: Path) -> None:
    assert soar(home, "db", "upgrade")[0] == 0
    code, output, error = soar(
        home, "users", "add", "ada", "--role", "admin", "--password-stdin", stdin=SECRET + "\n"
    )
    assert code == 0, error
    for name, role in (
        ("alice", "analyst"),
        ("sam", "supervisor"),
        ("sofia", "supervisor"),
        ("otto", "auditor"),
    ):
        assert soar(home, "users", "add", name, "--role", role, "--no-login", "--as", "ada")[0] == 0
    assert (
        soar(
            home,
            "users",
            "add",
            "hugo",
            "--role",
            "field_officer",
            "--field-office",
            "Houston",
            "--no-login",
            "--as",
            "ada",
        )[0]
        == 0
    )


def test_db_upgrade_reports_then_says_up_to_date(home: Path) -> None:
    code, output, _ = soar(home, "db", "upgrade")
    assert code == 0 and "empty → revision 0001" in output
    code, output, _ = soar(home, "db", "upgrade")
    assert code == 0 and "up to date (revision 0001)" in output


def test_a_command_before_upgrade_says_to_upgrade(home: Path) -> None:
    code, _, error = soar(home, "users", "list")
    assert code != 0
    assert "run `soar db upgrade`" in str(error)


def test_a_password_is_never_printed_or_stored_in_clear(home: Path, database_url: str) -> None:
    setup_store(home)
    code, output, _ = soar(home, "users", "list")
    assert code == 0
    assert SECRET not in output and "argon2" not in output
    assert "field_officer" in output and "Houston" in output
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        stored = " ".join(
            str(v) for row in connection.execute(text("SELECT * FROM users")) for v in row
        )
        audit = " ".join(
            str(v) for row in connection.execute(text("SELECT * FROM audit_log")) for v in row
        )
    engine.dispose()
    assert SECRET not in stored and SECRET not in audit


def test_a_case_walked_through_the_cli(home: Path) -> None:
    setup_store(home)
    code, output, _ = soar(home, "cases", "import", str(LEADS_FIXTURE))
    assert code == 0 and "8 new cases (1 held for citizenship review)" in output
    steps = [
        ("in_review", "alice", "taking it"),
        ("match_confirmed", "alice", "fingerprints and names agree"),
        ("priority_assessed", "alice", "aggravated felony conviction"),
        ("approved", "sam", "public safety priority"),
        ("assigned", "sam", "Houston AOR"),
    ]
    for state, who, reason in steps:
        code, output, error = soar(
            home, "cases", "transition", "1", state, "--reason", reason, "--as", who
        )
        assert code == 0, error
        assert f"→ {state}" in output
    code, output, error = soar(
        home,
        "cases",
        "detainer",
        "1",
        "--facility",
        "Harris County Jail",
        "--served-on",
        "2024-08-29",
        "--basis",
        "biometric_confirmation",
        "--warrant",
        "I-200",
        "--release-at",
        "2024-08-30T15:00",
        "--reason",
        "in custody on a state charge",
        "--as",
        "hugo",
    )
    assert code == 0, error
    assert "hold ends Wed 2024-09-04 15:00" in output
    assert (
        soar(
            home,
            "cases",
            "detainer-outcome",
            "1",
            "honored",
            "--reason",
            "custody transferred at 14:10",
            "--as",
            "hugo",
        )[0]
        == 0
    )
    assert (
        soar(
            home,
            "cases",
            "arrest",
            "1",
            "--date",
            "2024-08-30",
            "--place",
            "Harris County Jail",
            "--reason",
            "custody transfer",
            "--as",
            "hugo",
        )[0]
        == 0
    )
    code, output, _ = soar(home, "cases", "show", "1", "--as", "otto", "--purpose", "audit")
    assert code == 0
    assert "case 1 · arrested · version 9 · Houston" in output
    assert "Harris County Jail" in output and "hold until 2024-09-04 15:00" in output
    code, output, _ = soar(home, "cases", "list", "--as", "sam", "--status", "citizenship_review")
    assert "1 cases" in output and "Mei Lin Chow" in output
    code, output, _ = soar(home, "audit", "verify")
    assert code == 0 and "audit log intact" in output


def test_refusals_are_clear(home: Path) -> None:
    setup_store(home)
    soar(home, "cases", "import", str(LEADS_FIXTURE))
    _, _, error = soar(
        home, "cases", "transition", "1", "approved", "--reason", "now", "--as", "sam"
    )
    assert "case 1 is candidate and cannot go to approved" in str(error)
    _, _, error = soar(
        home, "cases", "transition", "1", "in_review", "--reason", "look", "--as", "otto"
    )
    assert "otto is an auditor, who cannot change cases" in str(error)
    _, _, error = soar(
        home, "cases", "transition", "1", "in_review", "--reason", "look", "--as", "nobody"
    )
    assert "no user 'nobody'" in str(error)
    soar(home, "cases", "transition", "1", "in_review", "--reason", "look", "--as", "alice")
    _, _, error = soar(
        home,
        "cases",
        "transition",
        "1",
        "match_confirmed",
        "--reason",
        "names and DOB agree",
        "--as",
        "alice",
        "--expect-version",
        "1",
    )
    assert "changed by someone else" in str(error)


def test_the_installed_command_exits_with_one_line_errors(home: Path) -> None:
    """Through the real entry point: the exit code and stderr a script would see."""
    setup_store(home)
    env = {**os.environ}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "soar", *args, "--home", str(home)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    soar(home, "cases", "import", str(LEADS_FIXTURE))
    soar(home, "cases", "transition", "1", "in_review", "--reason", "look", "--as", "alice")
    stale = run(
        "cases",
        "transition",
        "1",
        "match_confirmed",
        "--reason",
        "names and DOB agree",
        "--as",
        "alice",
        "--expect-version",
        "1",
    )
    assert stale.returncode == 3  # ConflictError: reload and retry
    assert stale.stderr.startswith("error: case 1 was changed by someone else")
    assert stale.stderr.strip().count("\n") == 0


def test_audit_verify_names_the_tampered_entry(home: Path, database_url: str) -> None:
    from sqlalchemy import text

    from soar.cases import db

    from .test_audit import drop_append_only_guard

    setup_store(home)
    soar(home, "cases", "import", str(LEADS_FIXTURE))
    store = db.open_store(database_url)
    drop_append_only_guard(store)
    with store.transaction() as session:
        session.execute(text("UPDATE audit_log SET detail = '{}' WHERE id = 9"))
    store.close()
    code, _, error = soar(home, "audit", "verify")
    assert code == 1
    assert "tampered with: entry 9 was edited" in str(error)
    assert "the 8 entries before it are intact" in str(error)
