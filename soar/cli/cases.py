"""`soar db`, `soar users`, `soar cases`, `soar audit`: thin over `soar.cases`.

`--as USER` names who acts; it is not a login (whoever runs the CLI can reach the
database anyway). The web layer authenticates with `soar.cases.users.authenticate`.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from soar.cases import audit, db, leads, service, users
from soar.cases.db import Store
from soar.cases.models import Case, User
from soar.cases.workflow import SYSTEM, USER_ROLES, load
from soar.cli.app import HomeOption, app, console
from soar.errors import InputError, SoarError
from soar.workspace import resolve

db_app = typer.Typer(help="Set up and migrate the case store.", no_args_is_help=True)
users_app = typer.Typer(help="Add, list and disable users of the case store.", no_args_is_help=True)
cases_app = typer.Typer(
    help="Import leads and work cases: review, approve, detainers, arrests.", no_args_is_help=True
)
audit_app = typer.Typer(help="Check the hash-chained audit log.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(cases_app, name="cases")
app.add_typer(audit_app, name="audit")

AsOption = Annotated[
    str, typer.Option("--as", help="Username of the person doing this (see `soar users list`).")
]
ReasonOption = Annotated[
    str, typer.Option("--reason", help="Why: recorded with the change and in the audit log.")
]
ExpectVersionOption = Annotated[
    int | None,
    typer.Option(
        "--expect-version",
        help="The case version you decided on (shown by `soar cases show`); if the case "
        "changed since, the change is refused. Default: the current version.",
    ),
]
CaseIdArgument = Annotated[int, typer.Argument(help="Case number (see `soar cases list`).")]


def _database_url(home: Path | None) -> str:
    """The case store's URL; the default SQLite file needs an existing workspace."""
    workspace = resolve(home)
    url = workspace.database_url()
    if url == f"sqlite:///{(workspace.home / 'cases.sqlite').resolve()}":
        workspace.require()
    return url


def _open(home: Path | None) -> Store:
    return db.open_store(_database_url(home))


def _version(store: Store, case_id: int, expected: int | None) -> int:
    if expected is not None:
        return expected
    with store.transaction() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise InputError(f"no case {case_id}; see `soar cases list`")
        return case.version


T = TypeVar("T")


def _on_case(
    home: Path | None,
    case_id: int,
    expect_version: int | None,
    as_user: str,
    act: Callable[[Session, User, int], T],
) -> T:
    """Run `act(session, actor, version)` on one case in one transaction: the case's version
    is the one given with --expect-version, else the one read now."""
    store = _open(home)
    try:
        version = _version(store, case_id, expect_version)
        with store.transaction() as session:
            return act(session, users.acting(session, as_user), version)
    finally:
        store.close()


def _os_login() -> str:
    """The operating-system login running this command, or a marker when there is none."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in the environment or the user database
        return "(unknown OS user)"


def _print_table(table: Table) -> None:
    """Off a terminal (a pipe, a file) a table is not squeezed into 80 columns."""
    if console.is_terminal:
        console.print(table)
    else:
        Console(file=console.file, width=200, soft_wrap=True).print(table)


def _parse_date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise InputError(f"{option} {value!r}: use a date like 2024-08-30") from error


def _parse_time(value: str, option: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise InputError(f"{option} {value!r}: use a local time like 2024-08-30T15:00") from error


# --- db --------------------------------------------------------------------------------------
@db_app.command("upgrade")
def db_upgrade(home: HomeOption = None) -> None:
    """Create the case store or bring it to this SOAR's schema (safe to repeat)."""
    url = _database_url(home)
    before, after = db.upgrade(url)
    where = db.safe_url(url)
    if before == after:
        console.print(f"case store at {where} is up to date (revision {after})", highlight=False)
    else:
        console.print(
            f"case store at {where}: {before or 'empty'} → revision {after}", highlight=False
        )


# --- users -----------------------------------------------------------------------------------
def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InputError("--password-stdin: no password on standard input")
        return password
    if not sys.stdin.isatty():
        raise InputError(
            "no terminal to ask for the password; pipe it with --password-stdin or use --no-login"
        )
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Login name: lower-case letters, digits, . _ -")],
    role: Annotated[str, typer.Option("--role", help=f"One of: {', '.join(USER_ROLES)}.")],
    field_office: Annotated[
        str | None,
        typer.Option("--field-office", help="Field office (AOR); required for field_officer."),
    ] = None,
    name: Annotated[str, typer.Option("--name", help="Full name shown to others.")] = "",
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from the first stdin line."),
    ] = False,
    no_login: Annotated[
        bool, typer.Option("--no-login", help="No password: the account cannot log in.")
    ] = False,
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="Admin adding the user (omit only for the very first admin)."),
    ] = None,
    home: HomeOption = None,
) -> None:
    """Add a user. The password is asked for (or read from stdin) and stored hashed only."""
    if password_stdin and no_login:
        raise InputError("choose --password-stdin or --no-login, not both")
    password = None if no_login else _read_password(password_stdin)
    store = _open(home)
    try:
        with store.transaction() as session:
            actor = users.acting(session, as_user) if as_user else None
            user = users.add(
                session,
                username=username,
                role=role,
                password=password,
                actor=actor,
                display_name=name,
                field_office=field_office,
            )
            office = f" ({user.field_office})" if user.field_office else ""
            console.print(f"added {user.username}: {user.role}{office}", highlight=False)
    finally:
        store.close()


@users_app.command("list")
def users_list(home: HomeOption = None) -> None:
    """List users with role, field office and whether they are active (never passwords)."""
    store = _open(home)
    try:
        with store.transaction() as session:
            shown = [users.info(user) for user in users.all_users(session)]
    finally:
        store.close()
    table = Table("username", "name", "role", "field office", "active", "can log in")
    for user in shown:
        table.add_row(
            user.username,
            user.display_name,
            user.role,
            user.field_office or "",
            "yes" if user.active else "no",
            "yes" if user.can_log_in else "no",
        )
    _print_table(table)


@users_app.command("disable")
def users_disable(
    username: Annotated[str, typer.Argument(help="The user to disable.")],
    reason: ReasonOption,
    as_user: AsOption,
    home: HomeOption = None,
) -> None:
    """Disable a user: they can no longer log in or act; their history stays."""
    store = _open(home)
    try:
        with store.transaction() as session:
            users.disable(
                session, username=username, actor=users.acting(session, as_user), reason=reason
            )
    finally:
        store.close()
    console.print(f"disabled {username}", highlight=False)


# --- cases -----------------------------------------------------------------------------------
@cases_app.command("import")
def cases_import(
    leads_file: Annotated[
        Path, typer.Argument(help="Leads as JSON lines (format: soar.cases.leads).")
    ],
    home: HomeOption = None,
) -> None:
    """Import leads: new ones become cases, known ones get their evidence updated."""
    store = _open(home)
    try:
        with store.transaction() as session:
            # Imports are system actions; the OS login says who started this one.
            summary = leads.import_file(session, leads_file, operator=_os_login())
    finally:
        store.close()
    console.print(
        f"{summary.read} leads read from {leads_file}: {summary.created} new cases "
        f"({summary.created_in_citizenship_review} held for citizenship review), "
        f"{summary.updated} updated, {summary.unchanged} unchanged, "
        f"{summary.sent_to_citizenship_review} sent to citizenship review by new evidence, "
        f"{summary.closed_flagged} closed and {summary.open_flagged} open cases flagged "
        "for a supervisor",
        highlight=False,
    )


@cases_app.command("list")
def cases_list(
    as_user: AsOption,
    status: Annotated[
        str | None, typer.Option("--status", help="Only cases in this workflow state.")
    ] = None,
    field_office: Annotated[
        str | None, typer.Option("--field-office", help="Only cases of this field office.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many.")] = 1000,
    home: HomeOption = None,
) -> None:
    """List cases (a field officer sees their own field office only). Audited."""
    store = _open(home)
    try:
        with store.transaction() as session:
            found = service.list_cases(
                session,
                viewer=users.acting(session, as_user),
                state=status,
                field_office=field_office,
                limit=limit,
            )
    finally:
        store.close()
    table = Table("id", "state", "field office", "person", "dob", "p(match)", "policy", "v", "!")
    for column in (0, 1, 4, 5, 7):  # short codes stay on one line; names may wrap
        table.columns[column].no_wrap = True
    for case in found:
        table.add_row(
            str(case.id),
            case.state,
            case.field_office,
            case.person_name,
            case.dob,
            f"{case.match_probability:.3f}",
            case.policy_decision,
            str(case.version),
            "!" if case.needs_attention else "",
        )
    _print_table(table)
    console.print(f"{len(found)} cases", highlight=False)


def _render_case(case: Case) -> None:
    flags = ", ".join(case.citizenship_flags) or "none"
    console.print(
        f"case {case.id} · {case.state} · version {case.version} · {case.field_office}\n"
        f"person: {case.person_name}, born {case.dob}, citizen of {case.country_of_citizenship}\n"
        f"records: registry {case.registry_record_id} ↔ immigration {case.immigration_record_id}"
        f"\nmatch probability {case.match_probability:.4f} (weight {case.match_weight:.2f}); "
        f"policy {case.policy_id}: {case.policy_decision}\n"
        f"signs of US citizenship: {flags}",
        highlight=False,
        markup=False,
    )
    if case.needs_attention:
        console.print(f"NEEDS ATTENTION: {case.attention_reason}", highlight=False, markup=False)
    if case.snapshots:
        lead = case.snapshots[-1].lead
        evidence = Table("field", "left", "right", "level", "weight", title="match evidence")
        for item in lead.get("evidence", []):
            evidence.add_row(
                str(item["field"]),
                str(item["left"]),
                str(item["right"]),
                str(item["level"]),
                f"{float(item['weight']):+.2f}",
            )
        console.print(evidence)
        offenses = Table("statute", "description", "disposition", "category", title="offenses")
        for item in lead.get("offenses", []):
            review = " (legal review)" if item.get("needs_legal_review") else ""
            offenses.add_row(
                str(item["statute"]),
                str(item["description"]),
                str(item["disposition"]),
                f"{item['category']}{review}",
            )
        console.print(offenses)
        for reason in lead.get("reasons", []):
            console.print(f"policy reason: {reason}", highlight=False, markup=False)
    history = Table("when (UTC)", "from", "to", "who", "why", title="history")
    for step in case.transitions:
        history.add_row(
            f"{step.at:%Y-%m-%d %H:%M:%S}",
            step.from_state or "",
            step.to_state,
            f"{step.actor_name} ({step.actor_role})",
            step.reason,
        )
    console.print(history)
    for detainer in case.detainers:
        deadline = f"{detainer.hold_deadline:%Y-%m-%d %H:%M}" if detainer.hold_deadline else "?"
        console.print(
            f"detainer {detainer.form} at {detainer.facility}, served {detainer.served_on}, "
            f"basis {detainer.probable_cause}, warrant {detainer.warrant}, hold until "
            f"{deadline}; outcome: {detainer.outcome or 'open'} {detainer.outcome_reason}",
            highlight=False,
            markup=False,
        )
    for arrest in case.arrests:
        kind = "targeted" if arrest.targeted else f"collateral ({arrest.person_description})"
        console.print(
            f"arrest {arrest.arrested_on} at {arrest.place} by {arrest.field_office}: {kind}",
            highlight=False,
            markup=False,
        )
    for note in case.notes:
        console.print(f"note by {note.author}: {note.text}", highlight=False, markup=False)
    moves = load().moves_from(case.state)
    if moves:
        console.print(
            "next: "
            + ", ".join(
                f"{m.to_state} ({'/'.join(r for r in m.roles if r != SYSTEM)})" for m in moves
            ),
            highlight=False,
        )


@cases_app.command("show")
def cases_show(
    case_id: CaseIdArgument,
    as_user: AsOption,
    purpose: Annotated[
        str, typer.Option("--purpose", help="Why you are looking (kept in the audit log).")
    ] = "",
    home: HomeOption = None,
) -> None:
    """Show a case: person, evidence, offenses, history, detainers, arrests. Audited."""
    store = _open(home)
    try:
        with store.transaction() as session:
            case = service.view_case(
                session, case_id=case_id, viewer=users.acting(session, as_user), purpose=purpose
            )
    finally:
        store.close()
    _render_case(case)


@cases_app.command("transition")
def cases_transition(
    case_id: CaseIdArgument,
    state: Annotated[str, typer.Argument(help="The state to move the case to.")],
    reason: ReasonOption,
    as_user: AsOption,
    expect_version: ExpectVersionOption = None,
    home: HomeOption = None,
) -> None:
    """Move a case to another workflow state, if the workflow and your role allow it."""
    step = _on_case(
        home,
        case_id,
        expect_version,
        as_user,
        lambda session, actor, version: service.transition(
            session,
            case_id=case_id,
            to_state=state,
            actor=actor,
            reason=reason,
            expected_version=version,
        ),
    )
    console.print(
        f"case {case_id}: {step.from_state} → {step.to_state} (version {step.version_after})",
        highlight=False,
    )


@cases_app.command("detainer")
def cases_detainer(
    case_id: CaseIdArgument,
    facility: Annotated[str, typer.Option("--facility", help="Jail or prison holding the person.")],
    served_on: Annotated[str, typer.Option("--served-on", help="Date served (YYYY-MM-DD).")],
    basis: Annotated[
        str,
        typer.Option(
            "--basis",
            help="Probable cause: final_order, pending_proceedings, biometric_confirmation "
            "or other_reliable_evidence.",
        ),
    ],
    warrant: Annotated[str, typer.Option("--warrant", help="I-200 or I-205.")],
    reason: ReasonOption,
    as_user: AsOption,
    release_at: Annotated[
        str | None,
        typer.Option(
            "--release-at",
            help="When the jail would release the person (local, 2024-08-30T15:00): sets "
            "the 48-hour hold deadline, weekends and federal holidays excluded.",
        ),
    ] = None,
    basis_detail: Annotated[
        str, typer.Option("--basis-detail", help="The evidence, for other_reliable_evidence.")
    ] = "",
    expect_version: ExpectVersionOption = None,
    home: HomeOption = None,
) -> None:
    """Lodge an I-247A detainer with its warrant; the case goes to detainer_issued."""
    served = _parse_date(served_on, "--served-on")
    release = _parse_time(release_at, "--release-at") if release_at else None
    detainer = _on_case(
        home,
        case_id,
        expect_version,
        as_user,
        lambda session, actor, version: service.issue_detainer(
            session,
            case_id=case_id,
            actor=actor,
            expected_version=version,
            facility=facility,
            served_on=served,
            probable_cause=basis,
            warrant=warrant,
            reason=reason,
            release_at=release,
            probable_cause_detail=basis_detail,
        ),
    )
    deadline = (
        f"; hold ends {detainer.hold_deadline:%a %Y-%m-%d %H:%M}" if detainer.hold_deadline else ""
    )
    console.print(f"case {case_id}: detainer lodged at {facility}{deadline}", highlight=False)


@cases_app.command("detainer-outcome")
def cases_detainer_outcome(
    case_id: CaseIdArgument,
    outcome: Annotated[
        str,
        typer.Argument(help="honored, declined, cancelled, expired or released_before_transfer."),
    ],
    reason: ReasonOption,
    as_user: AsOption,
    expect_version: ExpectVersionOption = None,
    home: HomeOption = None,
) -> None:
    """Record how the open detainer ended, with the reason (e.g. why a jail declined)."""
    _on_case(
        home,
        case_id,
        expect_version,
        as_user,
        lambda session, actor, version: service.record_detainer_outcome(
            session,
            case_id=case_id,
            actor=actor,
            expected_version=version,
            outcome=outcome,
            reason=reason,
        ),
    )
    console.print(f"case {case_id}: detainer {outcome}", highlight=False)


@cases_app.command("arrest")
def cases_arrest(
    case_id: CaseIdArgument,
    arrested_on: Annotated[str, typer.Option("--date", help="Date of arrest (YYYY-MM-DD).")],
    place: Annotated[str, typer.Option("--place", help="Where the arrest was made.")],
    reason: ReasonOption,
    as_user: AsOption,
    collateral: Annotated[
        bool,
        typer.Option("--collateral", help="Someone other than the targeted person."),
    ] = False,
    person: Annotated[
        str, typer.Option("--person", help="Who was arrested, for a collateral arrest.")
    ] = "",
    expect_version: ExpectVersionOption = None,
    home: HomeOption = None,
) -> None:
    """Record an arrest: of the targeted person (case → arrested) or collateral."""
    when = _parse_date(arrested_on, "--date")
    _on_case(
        home,
        case_id,
        expect_version,
        as_user,
        lambda session, actor, version: service.record_arrest(
            session,
            case_id=case_id,
            actor=actor,
            expected_version=version,
            arrested_on=when,
            place=place,
            reason=reason,
            targeted=not collateral,
            person_description=person,
        ),
    )
    kind = "collateral arrest" if collateral else "arrest"
    console.print(f"case {case_id}: {kind} recorded", highlight=False)


# --- audit -----------------------------------------------------------------------------------
@audit_app.command("verify")
def audit_verify(home: HomeOption = None) -> None:
    """Recompute the hash chain; name the first edited, deleted or reordered entry."""
    store = _open(home)
    try:
        with store.transaction() as session:
            result = audit.verify(session)
    finally:
        store.close()
    if not result.ok:
        raise SoarError(
            f"the audit log has been tampered with: {result.problem} "
            f"(the {result.entries} entries before it are intact)"
        )
    console.print(
        f"audit log intact: {result.entries} entries; chain head {result.head_hash} "
        "(record it elsewhere to detect a rewrite of the whole chain)",
        highlight=False,
    )


@audit_app.command("log")
def audit_log(
    as_user: AsOption,
    subject: Annotated[
        str | None,
        typer.Option("--subject", help="Only entries about this, e.g. case:12 or user:alice."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many.")] = 50,
    home: HomeOption = None,
) -> None:
    """Show the newest audit entries (auditors and supervisors). Reading it is audited."""
    store = _open(home)
    try:
        with store.transaction() as session:
            entries = service.read_audit_log(
                session, viewer=users.acting(session, as_user), subject=subject, limit=limit
            )
    finally:
        store.close()
    table = Table("id", "when (UTC)", "who", "action", "subject", "detail")
    for entry in entries:
        table.add_row(
            str(entry.id),
            f"{entry.at:%Y-%m-%d %H:%M:%S}",
            entry.actor,
            entry.action,
            entry.subject,
            entry.detail,
        )
    _print_table(table)
