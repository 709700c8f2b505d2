"""Errors meant for people: each says what was wrong, where, and what to do."""

from __future__ import annotations


class SoarError(Exception):
    """An error the CLI reports in one line on stderr, exiting with `exit_code`."""

    exit_code = 1


class InputError(SoarError):
    """Bad arguments or input the user can fix (exit code 2, as for usage errors)."""

    exit_code = 2
