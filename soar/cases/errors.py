"""Errors of the case store, each saying what was refused, on which case, and what to do."""

from __future__ import annotations

from soar.errors import InputError, SoarError


class ConflictError(SoarError):
    """Someone changed the case after you read it; reload it and decide again."""

    # Distinct from other failures so a script can tell "retry after reload" apart.
    exit_code = 3


class PermissionDenied(SoarError):
    """The user's role, field office or account state does not allow this action."""


class WorkflowError(SoarError):
    """The move is not in the workflow, or a fixed rule (two-person, reason) refuses it."""


class NotFound(InputError):
    """No such case or user."""
