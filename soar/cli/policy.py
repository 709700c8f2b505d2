"""`soar policies`: the enforcement policies known, and a check of a policy file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from soar.cli.app import HomeOption, app, console
from soar.errors import InputError
from soar.policy.policies import load_policies, parse_policy
from soar.workspace import resolve


@app.command("policies")
def policies_command(
    check: Annotated[
        Path | None,
        typer.Option("--check", help="Validate this policy file and show what it says."),
    ] = None,
    home: HomeOption = None,
) -> None:
    """List enforcement policies with their dates, or check a policy file."""
    if check is not None:
        if not check.is_file():
            raise InputError(f"policy file {check} does not exist")
        policy = parse_policy(check.read_text(encoding="utf-8"), check)
        console.print(
            f"{check}: valid policy {policy.id} ({policy.style}), effective {policy.effective}"
            f"{f' to {policy.ends}' if policy.ends else ''}; {len(policy.rules)} rules, "
            f"{len(policy.aggravating)} aggravating and {len(policy.mitigating)} "
            "mitigating factors",
            highlight=False,
        )
        return
    for policy in sorted(
        load_policies(resolve(home).home / "policies").values(), key=lambda p: p.effective
    ):
        ends = f"to {policy.ends}" if policy.ends else "in force"
        console.print(
            f"{policy.id:20} {policy.effective} {ends:14} {policy.title}", highlight=False
        )
