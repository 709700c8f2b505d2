"""The case workflow as data (`workflow.toml`) plus the rules no data file may loosen.

`load()` reads and checks the file; `Workflow.rule(from, to)` says whether a move exists
and who may make it. The fixed rules (DESIGN.md, "Policy" safeguards) are enforced by
`soar.cases.service` whatever the file says: the two-person rule, supervisor-only clearing
of `citizenship_review` with a written reason, field officers in their own field office.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from soar.errors import InputError


class Role(StrEnum):
    """What a user may do. `system` is not a user role: it marks automatic moves."""

    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    FIELD_OFFICER = "field_officer"
    AUDITOR = "auditor"
    ADMIN = "admin"


SYSTEM = "system"
USER_ROLES = tuple(role.value for role in Role)
# Roles that may act on cases at all; auditors read, admins manage users.
CASE_ROLES = (Role.ANALYST.value, Role.SUPERVISOR.value, Role.FIELD_OFFICER.value)
REQUIREMENTS = ("detainer", "detainer_outcome", "arrest")
DEFAULT_MIN_REASON = 3

# Fixed by DESIGN.md, checked against the file on load so an edit cannot drop them.
CITIZENSHIP_REVIEW = "citizenship_review"
MATCH_CONFIRMED = "match_confirmed"
APPROVED = "approved"
CITIZENSHIP_CLEARING_MIN_REASON = 20
REQUIRED_STATES = (
    "candidate",
    "in_review",
    MATCH_CONFIRMED,
    "match_rejected",
    CITIZENSHIP_REVIEW,
    "priority_assessed",
    APPROVED,
    "not_a_priority",
    "assigned",
    "detainer_issued",
    "detainer_honored",
    "detainer_declined",
    "released_before_transfer",
    "arrested",
    "in_proceedings",
    "removed",
    "relief_granted",
    "closed",
)


@dataclass(frozen=True)
class State:
    """A workflow state; `terminal` states are closed cases."""

    name: str
    description: str
    terminal: bool = False


@dataclass(frozen=True)
class Rule:
    """An allowed move between two states and who may make it."""

    from_state: str
    to_state: str
    roles: tuple[str, ...]
    description: str
    min_reason: int = DEFAULT_MIN_REASON
    requires: str | None = None


@dataclass(frozen=True)
class Workflow:
    """States and allowed moves, read from a TOML file."""

    name: str
    version: int
    initial: str
    states: dict[str, State]
    rules: dict[tuple[str, str], Rule] = field(default_factory=dict)
    source: str = ""

    def rule(self, from_state: str, to_state: str) -> Rule | None:
        return self.rules.get((from_state, to_state))

    def moves_from(self, state: str) -> list[Rule]:
        """Every allowed move out of `state`, in file order."""
        return [rule for (start, _), rule in self.rules.items() if start == state]

    def is_terminal(self, state: str) -> bool:
        return self.states[state].terminal


def _fail(source: str, message: str) -> InputError:
    return InputError(f"workflow file {source}: {message}")


def _string_list(source: str, where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(source, f"{where} must be a list of strings, got {value!r}")
    return list(value)


def parse(data: dict[str, Any], source: str) -> Workflow:
    """Check a parsed workflow file and build the `Workflow`; errors name the bad entry."""
    header = data.get("workflow")
    if not isinstance(header, dict):
        raise _fail(source, "missing the [workflow] table (name, version, initial)")
    states: dict[str, State] = {}
    for name, spec in dict(data.get("states", {})).items():
        if not isinstance(spec, dict) or not isinstance(spec.get("description"), str):
            raise _fail(source, f"[states.{name}] needs a description")
        states[name] = State(
            name,
            spec["description"],
            bool(spec.get("terminal", False)),
        )
    missing = [name for name in REQUIRED_STATES if name not in states]
    if missing:
        raise _fail(source, f"states required by DESIGN.md are missing: {', '.join(missing)}")
    initial = header.get("initial")
    if initial not in states:
        raise _fail(source, f"[workflow] initial = {initial!r} is not a state")
    rules: dict[tuple[str, str], Rule] = {}
    for number, spec in enumerate(data.get("transitions", []), start=1):
        where = f"transition {number}"
        if not isinstance(spec, dict):
            raise _fail(source, f"{where} is not a table")
        to_state = spec.get("to")
        if to_state not in states:
            raise _fail(source, f"{where}: to = {to_state!r} is not a state")
        roles = _string_list(source, f"{where} roles", spec.get("roles"))
        unknown = [role for role in roles if role not in (*CASE_ROLES, SYSTEM)]
        if unknown or not roles:
            raise _fail(
                source,
                f"{where}: roles {unknown or roles} not allowed; use some of "
                f"{', '.join((*CASE_ROLES, SYSTEM))}",
            )
        requires = spec.get("requires")
        if requires is not None and requires not in REQUIREMENTS:
            raise _fail(source, f"{where}: requires = {requires!r}; use one of {REQUIREMENTS}")
        min_reason = spec.get("min_reason", DEFAULT_MIN_REASON)
        if not isinstance(min_reason, int) or min_reason < 1:
            raise _fail(source, f"{where}: min_reason must be a positive integer")
        for from_state in _string_list(source, f"{where} from", spec.get("from")):
            if from_state not in states:
                raise _fail(source, f"{where}: from state {from_state!r} is not a state")
            if (from_state, to_state) in rules:
                raise _fail(source, f"{where}: {from_state} → {to_state} is listed twice")
            if states[from_state].terminal and states[to_state].terminal:
                raise _fail(source, f"{where}: {from_state} → {to_state} joins two closed states")
            rules[(from_state, to_state)] = Rule(
                from_state,
                to_state,
                tuple(roles),
                str(spec.get("description", "")),
                min_reason,
                requires,
            )
    workflow = Workflow(
        str(header.get("name", "")), int(header.get("version", 0)), initial, states, rules, source
    )
    _check_fixed_rules(workflow)
    return workflow


def _check_fixed_rules(workflow: Workflow) -> None:
    """Refuse a file that would let anyone but a supervisor clear citizenship review."""
    for rule in workflow.moves_from(CITIZENSHIP_REVIEW):
        if rule.roles != (Role.SUPERVISOR.value,):
            raise _fail(
                workflow.source,
                f"{rule.from_state} → {rule.to_state} must be for supervisors only "
                "(DESIGN.md: citizenship_review is cleared only by a supervisor)",
            )
        if rule.min_reason < CITIZENSHIP_CLEARING_MIN_REASON:
            raise _fail(
                workflow.source,
                f"{rule.from_state} → {rule.to_state} needs min_reason of at least "
                f"{CITIZENSHIP_CLEARING_MIN_REASON} (a written reason)",
            )


def load(path: Path | None = None) -> Workflow:
    """The workflow from `path`, or the one shipped in the package."""
    if path is None:
        return _packaged()
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise InputError(f"cannot read workflow file {path}: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"workflow file {path}: not valid TOML ({error})") from error
    return parse(data, str(path))


@cache
def _packaged() -> Workflow:
    text = resources.files("soar.cases").joinpath("workflow.toml").read_text(encoding="utf-8")
    return parse(tomllib.loads(text), "soar/cases/workflow.toml")
