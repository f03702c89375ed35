"""Password rules as NIST SP 800-63B gives them: at least 12 characters, not a common or breached password,
not the user's own address or name, and no composition rules. They apply when a password is set."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.auth.passwords import COMMON_PASSWORDS, check_new_password
from portal.models import User
from tests.conftest import PASSWORD, change_password, signed_in, text_of
from tests.factories import make_tenant, make_user, session_of


@pytest.mark.parametrize(
    "password",
    [
        "elevenchars",  # 11 characters
        "e\u0301" * 6 + "abcde",  # 17 code points typed, 11 after NFKC
        "password123456",
        "PASSWORD123456",  # the list is matched whatever the case
        "qwerty123456",
        "x" * 257,
    ],
)
def test_refused(password):
    assert check_new_password(password)


@pytest.mark.parametrize(
    "password",
    [
        "tidal copper",  # 12 characters, lower case and a space: no composition rules
        "correct horse battery staple",
        "ünïcødé pässwörd",
        "x" * 256,
    ],
)
def test_accepted(password):
    assert check_new_password(password) == []


def test_the_users_own_address_or_name_is_refused(app, db_connection):
    user = make_user(make_tenant(app), "marketer", full_name="Margaret Hamilton")
    assert check_new_password(user.email, user)
    assert check_new_password("MargaretHamilton", user)
    assert check_new_password("margaret hamilton", user)
    assert check_new_password("margaret hamilton", None) == []  # someone else's name is no rule


def test_the_shipped_list_is_large_and_read_from_the_repository():
    entries = [line for line in COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    assert len(entries) > 10_000
    assert "password123456" in entries


def _hash_of(user: User, tenant) -> str:
    session = session_of(tenant)
    session.commit()  # a transaction of its own: the tenant set at its start, no savepoint left open
    password_hash = session.scalar(select(User.password_hash).where(User.id == user.id))
    session.commit()
    return password_hash


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("elevenchars", "at least 12 characters"),
        ("password123456", "common or leaked"),
    ],
)
def test_changing_to_a_refused_password_says_why_and_changes_nothing(app, db_connection, password, message):
    tenant = make_tenant(app)
    user = make_user(tenant, "admin")
    client = signed_in(app, user.email)
    before = _hash_of(user, tenant)
    response = change_password(client, PASSWORD, password)
    assert response.status_code == 400
    assert message in text_of(response)
    assert password not in response.get_data(as_text=True)
    assert _hash_of(user, tenant) == before


def test_changing_to_a_twelve_character_passphrase_works(app, db_connection):
    user = make_user(make_tenant(app), "viewer")
    client = signed_in(app, user.email)
    assert change_password(client, PASSWORD, "tidal copper").status_code == 302
    assert app.test_client().login(user.email, "tidal copper").status_code == 302


def test_the_demo_password_still_signs_in(app, db_connection):
    """Rules apply when a password is set: the 11-character demo password already set keeps working."""
    assert len(PASSWORD) == 11
    assert signed_in(app, "owner@acme.test").get("/").status_code == 200
