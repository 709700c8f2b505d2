"""Users and roles: who may add whom, field offices, passwords that are never shown."""

from __future__ import annotations

import pytest

from soar.cases import users
from soar.cases.db import Store
from soar.cases.errors import PermissionDenied
from soar.cases.models import User
from soar.errors import InputError


def test_the_first_user_must_be_an_admin(store: Store) -> None:
    with (
        pytest.raises(PermissionDenied, match="first user must be an admin"),
        store.transaction() as s,
    ):
        users.add(s, username="alice", role="analyst", password=None, actor=None)


def test_only_an_admin_adds_users(store: Store, people: dict[str, User]) -> None:
    with (
        pytest.raises(PermissionDenied, match="only an admin may add users"),
        store.transaction() as s,
    ):
        users.add(s, username="eve", role="admin", password=None, actor=None)
    with (
        pytest.raises(PermissionDenied, match="sam is a supervisor; only a admin may add users"),
        store.transaction() as s,
    ):
        users.add(s, username="eve", role="analyst", password=None, actor=people["sam"])


def test_a_field_officer_needs_a_field_office(store: Store, people: dict[str, User]) -> None:
    with pytest.raises(InputError, match="needs a field office"), store.transaction() as s:
        users.add(s, username="fred", role="field_officer", password=None, actor=people["admin"])


def test_bad_role_and_duplicate_user_are_refused(store: Store, people: dict[str, User]) -> None:
    with pytest.raises(InputError, match="role 'boss': use one of"), store.transaction() as s:
        users.add(s, username="bob", role="boss", password=None, actor=people["admin"])
    with pytest.raises(InputError, match="'alice' already exists"), store.transaction() as s:
        users.add(s, username="alice", role="analyst", password=None, actor=people["admin"])


def test_passwords_are_stored_as_argon2_hashes_and_checked(
    store: Store, people: dict[str, User]
) -> None:
    with store.transaction() as s:
        admin = users.find(s, "ada")
        assert admin.password_hash is not None
        assert admin.password_hash.startswith("$argon2id$")
        assert "correct horse" not in admin.password_hash
        assert users.authenticate(s, "ada", "correct horse battery") is not None
        assert users.authenticate(s, "ada", "wrong password!!") is None
        assert users.authenticate(s, "nobody", "correct horse battery") is None
        # Users without a password (demo, service accounts) cannot log in.
        assert users.authenticate(s, "alice", "") is None


def test_a_short_password_is_refused(store: Store, people: dict[str, User]) -> None:
    with pytest.raises(InputError, match="at least 12 characters"), store.transaction() as s:
        users.add(s, username="bob", role="analyst", password="short", actor=people["admin"])


def test_disabled_users_cannot_log_in_and_the_last_admin_stays(
    store: Store, people: dict[str, User]
) -> None:
    with store.transaction() as s:
        admin = users.find(s, "ada")
        with pytest.raises(InputError, match="last active admin"):
            users.disable(s, username="ada", actor=admin, reason="leaving")
        users.add(s, username="bea", role="admin", password="another long secret", actor=admin)
        users.disable(s, username="ada", actor=admin, reason="left the unit")
        assert users.authenticate(s, "ada", "correct horse battery") is None
        assert [u.username for u in users.all_users(s) if not u.active] == ["ada"]


def test_user_info_never_carries_the_hash(store: Store, people: dict[str, User]) -> None:
    with store.transaction() as s:
        shown = users.info(users.find(s, "ada"))
    assert "argon2" not in repr(shown)
    assert shown.can_log_in
