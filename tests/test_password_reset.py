"""Password reset by e-mail, through HTTP: ask, follow the e-mailed link, choose a password, sign in.

The e-mail is read from the outbox row the request wrote (the link in its text), not from SMTP.
"""

from __future__ import annotations

import hashlib
import re
import time
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, update

from portal.auth import reset
from portal.models import AuditEvent, OutboxEmail, PasswordReset, User
from tests.conftest import signed_in, text_of
from tests.factories import make_tenant, make_user, session_of

NEW_PASSWORD = "copper kettle morning tide"
LINK = re.compile(r"https?://\S+/password/reset/\S+")


@pytest.fixture(autouse=True)
def _quick(app, monkeypatch):
    """The answer's time floor, shortened (test_the_answer_never_comes_sooner_than_the_floor checks it)."""
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MIN_SECONDS", 0.0)


@pytest.fixture
def tenant(app, db_connection):
    """A tenant of the test's own."""
    return make_tenant(app)


@pytest.fixture
def user(tenant):
    """A marketer of that tenant."""
    return make_user(tenant, "marketer")


def _ask(client, email: str):
    return client.post("/password/forgot", data={"email": email})


def _read(tenant, statement) -> list:
    """Rows read in a transaction of their own: the tenant is set at its start, and no savepoint stays open
    under the requests that follow (rolling one back later would undo what they wrote)."""
    session = session_of(tenant)
    session.commit()
    rows = list(session.scalars(statement))
    session.commit()
    return rows


def _mails(tenant, to: str) -> list[OutboxEmail]:
    # In the test's one transaction every created_on is the same; ref_id is a ULID (milliseconds first).
    return _read(tenant, select(OutboxEmail).where(OutboxEmail.to_address == to).order_by(OutboxEmail.ref_id))


def _link_path(tenant, to: str) -> str:
    """The path of the reset link in the newest e-mail to ``to``."""
    body = _mails(tenant, to)[-1].body
    return urlsplit(LINK.search(body).group(0)).path


def _set(client, path: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post(path, data={"new_password": password, "confirm_password": confirm or password})


def _password_hash(tenant, user: User) -> str:
    return _read(tenant, select(User.password_hash).where(User.id == user.id))[0]


def test_sign_in_page_offers_a_reset(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page and "Forgot password?" in page


def test_the_whole_reset_through_the_email(app, client, tenant, user):
    other_device = signed_in(app, user.email)
    asked = _ask(client, user.email.upper())
    assert asked.status_code == 200
    assert "Check your e-mail" in text_of(asked)
    (mail,) = _mails(tenant, user.email)
    assert "30 minutes" in mail.body
    path = _link_path(tenant, user.email)
    token = path.rsplit("/", 1)[1]
    (row,) = _read(tenant, select(PasswordReset).where(PasswordReset.user_id == user.id))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()  # stored hashed, never the token

    form = client.get(path)
    assert form.status_code == 200 and user.email in text_of(form)
    assert form.headers["Cache-Control"] == "no-store"
    done = _set(client, path)
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert "Sign in with it now" in text_of(client.get("/login"))

    assert other_device.get("/").status_code == 302  # every session of the user ended
    assert app.test_client().login(user.email).status_code == 401
    assert app.test_client().login(user.email, NEW_PASSWORD).status_code == 302
    notice = _mails(tenant, user.email)[-1]
    assert "was changed" in notice.subject and "signed out" in notice.body
    assert _read(tenant, select(AuditEvent.action).where(AuditEvent.subject_id == user.id)) == [
        "password.reset"
    ]


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, tenant, user):
    known = _ask(client, user.email)
    unknown_address = f"nobody-{user.email}"
    unknown = _ask(client, unknown_address)
    assert known.status_code == unknown.status_code == 200
    assert text_of(known).replace(user.email, "X") == text_of(unknown).replace(unknown_address, "X")
    assert _mails(tenant, unknown_address) == []
    assert len(_mails(tenant, user.email)) == 1


def test_the_answer_never_comes_sooner_than_the_floor(app, client, user, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MIN_SECONDS", 0.3)
    for email in (user.email, f"nobody-{user.email}"):
        started = time.monotonic()
        assert _ask(client, email).status_code == 200
        assert time.monotonic() - started >= 0.3, email


def test_a_garbled_address_is_refused_and_kept(client):
    response = _ask(client, "not an address")
    assert response.status_code == 400
    assert "Enter an e-mail address" in text_of(response)
    assert 'value="not an address"' in response.get_data(as_text=True)


def test_an_expired_link_is_refused_and_changes_nothing(client, tenant, user):
    _ask(client, user.email)
    path = _link_path(tenant, user.email)
    session = session_of(tenant)
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id)
        .values(expires_on=PasswordReset.expires_on - reset.LIFETIME - reset.LIFETIME)
    )
    session.commit()
    before = _password_hash(tenant, user)
    for response in (client.get(path), _set(client, path)):
        assert response.status_code == 400
        assert "has expired" in text_of(response)
    assert _password_hash(tenant, user) == before


def test_a_used_link_is_refused_the_second_time(app, client, tenant, user):
    _ask(client, user.email)
    path = _link_path(tenant, user.email)
    assert _set(client, path).status_code == 302
    after_first = _password_hash(tenant, user)
    for response in (client.get(path), _set(client, path, "another long passphrase")):
        assert response.status_code == 400
        assert "already used" in text_of(response)
    assert _password_hash(tenant, user) == after_first
    assert app.test_client().login(user.email, NEW_PASSWORD).status_code == 302


def test_a_link_claimed_meanwhile_cannot_reset_twice(app, client, tenant, user):
    """Two submits of one link: the one that loses the conditional UPDATE is refused and writes nothing."""
    _ask(client, user.email)
    path = _link_path(tenant, user.email)
    with app.test_request_context(path):
        link = reset.find_link(path.rsplit("/", 1)[1])  # both submits found the link usable…
        assert _set(client, path).status_code == 302  # …one wins
        with pytest.raises(reset.ResetRefused) as refused:
            reset.reset_password(link, "the loser's passphrase", None)
    assert refused.value.reason == "used"
    assert app.test_client().login(user.email, NEW_PASSWORD).status_code == 302


def test_asking_again_and_using_one_link_kills_the_others(client, tenant, user):
    _ask(client, user.email)
    first = _link_path(tenant, user.email)
    _ask(client, user.email)
    second = _link_path(tenant, user.email)
    assert first != second
    assert _set(client, second).status_code == 302
    assert "already used" in text_of(client.get(first))


@pytest.mark.parametrize(
    "token",
    [
        "not-a-real-token",
        "A" * 43,  # well-formed, never issued
        "x" * 3000,
        "%00",
        "1' OR '1'='1",
    ],
)
def test_forged_or_garbled_tokens_are_refused(client, tenant, user, token):
    before = _password_hash(tenant, user)
    for response in (client.get(f"/password/reset/{token}"), _set(client, f"/password/reset/{token}")):
        assert response.status_code in (400, 404), response.status_code
        if response.status_code == 400:  # a NUL byte is refused before any view, with its own message
            assert "not valid" in text_of(response) or "not allowed" in text_of(response)
    assert _password_hash(tenant, user) == before


def test_a_tampered_token_is_refused(client, tenant, user):
    _ask(client, user.email)
    path = _link_path(tenant, user.email)
    tampered = path[:-1] + ("A" if path[-1] != "A" else "B")
    response = _set(client, tampered)
    assert response.status_code == 400 and "not valid" in text_of(response)
    assert client.get(path).status_code == 200  # the real link still works


def test_a_deactivated_user_gets_the_same_answer_and_no_email(client, tenant):
    gone = make_user(tenant, "sales_rep", is_active=False)
    response = _ask(client, gone.email)
    assert response.status_code == 200 and "Check your e-mail" in text_of(response)
    assert _mails(tenant, gone.email) == []
    assert _read(tenant, select(PasswordReset).where(PasswordReset.user_id == gone.id)) == []


def test_a_link_of_a_user_deactivated_since_is_refused(client, tenant, user):
    _ask(client, user.email)
    path = _link_path(tenant, user.email)
    session = session_of(tenant)
    session.execute(update(User).where(User.id == user.id).values(is_active=False))
    session.commit()
    before = _password_hash(tenant, user)
    response = _set(client, path)
    assert response.status_code == 400 and "not active" in text_of(response)
    assert _password_hash(tenant, user) == before


def test_a_suspended_tenant_gets_no_email(app, client):
    suspended = make_tenant(app, status="suspended")
    owner = make_user(suspended, "owner")
    assert "Check your e-mail" in text_of(_ask(client, owner.email))
    assert _mails(suspended, owner.email) == []


def test_a_weak_new_password_is_refused_and_the_link_kept(client, tenant, user):
    _ask(client, user.email)
    path = _link_path(tenant, user.email)
    before = _password_hash(tenant, user)
    short = _set(client, path, "short-pass1")
    assert short.status_code == 400 and "at least 12 characters" in text_of(short)
    common = _set(client, path, "password123456")
    assert common.status_code == 400 and "common or leaked" in text_of(common)
    differ = _set(client, path, NEW_PASSWORD, "something else entirely")
    assert differ.status_code == 400 and "differ" in text_of(differ)
    assert NEW_PASSWORD not in differ.get_data(as_text=True)  # password fields are never sent back
    assert _password_hash(tenant, user) == before
    assert _set(client, path).status_code == 302  # the link was not used up by the refusals


def test_asking_is_throttled_per_email_however_spelt(app, client, user, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_RESET_LIMIT_PER_EMAIL", "2 per hour")
    spellings = [user.email, user.email.upper(), f" {user.email} "]
    assert [_ask(client, e).status_code for e in spellings] == [200, 200, 429]


def test_asking_is_throttled_per_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_RESET_LIMIT_PER_IP", "3 per hour")
    statuses = [_ask(client, f"someone{i}@example.test").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_a_link_of_tenant_a_resets_only_its_user_never_one_of_b(app, client, tenant, user):
    other = make_tenant(app)
    namesake = make_user(other, "marketer", full_name=user.full_name)
    _ask(client, user.email)
    path = _link_path(tenant, user.email)
    b_before = _password_hash(other, namesake)
    b_client = signed_in(app, namesake.email)
    redirected = _set(b_client, path)  # a signed-in user of B is sent to their own password page
    assert redirected.status_code == 302 and redirected.headers["Location"] == "/account/password"
    assert _set(client, path).status_code == 302
    assert _password_hash(other, namesake) == b_before
    assert b_client.get("/").status_code == 200  # B's sessions untouched
    assert app.test_client().login(user.email, NEW_PASSWORD).status_code == 302


def test_signed_in_users_of_every_role_are_sent_to_change_password(app, tenant):
    for role in ("owner", "viewer"):
        client = signed_in(app, make_user(tenant, role).email)
        response = client.get("/password/forgot")
        assert response.status_code == 302 and response.headers["Location"] == "/account/password"
