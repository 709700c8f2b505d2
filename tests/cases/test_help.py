"""Every case-store command, argument and option explains itself in --help."""

from __future__ import annotations

from typing import Any

import typer

from soar.cli import app

GROUPS = ("db", "users", "cases", "audit")


def test_every_command_and_option_has_help_text() -> None:
    root: Any = typer.main.get_command(app)
    checked = 0
    for name in GROUPS:
        group = root.commands[name]
        assert group.help, name
        for command_name, command in group.commands.items():
            assert command.help, f"soar {name} {command_name} has no help"
            for parameter in command.params:
                text = getattr(parameter, "help", None)
                assert text, f"soar {name} {command_name}: {parameter.name} has no help"
                checked += 1
    assert checked > 40
