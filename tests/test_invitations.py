"""Invitations: the team page invites by e-mail; the link is single-use, expires, can be sent again or
withdrawn; an address with an account elsewhere gets the inviter the same answer; a suspended tenant's
invitation cannot be accepted; a double submit creates one user, even when both arrive at the same moment;
a tenant that requires two-factor sign-in gets a newcomer who enrols before anything else."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import threading
import time

import pytest
from sqlalchemy import delete, func, select, update

from portal.auth.service import token_hash
from portal.models import AuditEvent, Invitation, OutboxEmail, Tenant, User, WebSession
from tests.conftest import signed_in, tenant_ids, tenant_of, text_of, user_of
from tests.factories import make_tenant, make_user, session_of
from tests.queries import waiting_on_locks

NEW_PASSWORD = "violet kettle harbour"
LINK = re.compile(r"(https?://\S+)/invitations/(\S+)")


def _invite(app, client, tenant, email: str, role: str = "marketer"):
    """Invite as a new owner of tenant; returns the answer to the inviter."""
    client.login(make_user(tenant, "owner").email)
    return client.post("/team/invitations", data={"email": email, "role": role})


def _fresh(tenant):
    """The tenant's session in a new transaction: its tenant set again, nothing read before kept."""
    session = session_of(tenant)
    session.commit()
    return session


def _mails(tenant, email: str) -> list[OutboxEmail]:
    session = _fresh(tenant)
    return list(
        session.scalars(
            select(OutboxEmail).where(OutboxEmail.to_address == email).order_by(OutboxEmail.created_on)
        )
    )


def _link(tenant, email: str) -> str:
    """The path of the newest invitation link e-mailed to email."""
    body = _mails(tenant, email)[-1].body
    return "/invitations/" + LINK.search(body).group(2)


def _users(tenant, email: str) -> int:
    session = _fresh(tenant)
    return session.scalar(select(func.count()).select_from(User).where(User.email == email))


def _accept(app, path: str, name: str = "Dana Scully", password: str = NEW_PASSWORD):
    newcomer = app.test_client()
    newcomer.get(path)
    return newcomer, newcomer.post(
        path, data={"full_name": name, "new_password": password, "confirm_password": password}
    )


def test_invite_mail_accept_and_signed_in_with_the_role(app, client):
    tenant = make_tenant(app)
    answer = _invite(app, client, tenant, "Dana@Example.test", "marketer")
    assert answer.status_code == 302
    team = text_of(client.get("/team/"))
    assert "Invitation sent to dana@example.test. The link works for 7 days." in team
    assert "dana@example.test Marketer" in team  # listed as waiting

    mail = _mails(tenant, "dana@example.test")[0]
    assert tenant.name in mail.subject
    base, _token = LINK.search(mail.body).groups()
    assert base == app.config["BASE_URL"]  # absolute, from BASE_URL, never the Host header
    assert LINK.search(mail.html_body) and "Marketer" in mail.body

    path = _link(tenant, "dana@example.test")
    page = app.test_client().get(path)
    assert page.status_code == 200
    assert f"Join {tenant.name}'s portal" in text_of(page) and "as Marketer" in text_of(page)
    assert page.headers["Cache-Control"] == "no-store"

    newcomer, accepted = _accept(app, path)
    assert accepted.status_code == 302 and accepted.headers["Location"] == "/"
    home = newcomer.get("/")
    assert home.status_code == 200 and "Dana Scully" in text_of(home)
    session = _fresh(tenant)
    user = session.scalars(select(User).where(User.email == "dana@example.test")).one()
    assert (user.role, user.full_name, user.must_change_password) == ("marketer", "Dana Scully", False)
    assert newcomer.get("/team/").status_code == 403  # a marketer, as invited
    assert (
        app.test_client().login("dana@example.test", NEW_PASSWORD).status_code == 302
    )  # the chosen password
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.subject_type == "invitations")).all()
    assert sorted(actions) == ["team.invitation_accepted", "team.invite"]
    assert "dana@example.test" not in text_of(client.get("/team/")).split("Invitations waiting")[1]


def test_an_expired_link_is_refused_and_creates_nothing(app, client):
    tenant = make_tenant(app)
    _invite(app, client, tenant, "late@example.test")
    session = _fresh(tenant)
    session.execute(update(Invitation).values(expires_on=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)))
    session.commit()
    path = _link(tenant, "late@example.test")
    page = app.test_client().get(path)
    assert page.status_code == 410
    assert "This invitation expired on" in text_of(page) and "to send it again" in text_of(page)
    _, posted = _accept(app, path)
    assert posted.status_code == 410 and _users(tenant, "late@example.test") == 0
    assert "Expired" in text_of(client.get("/team/"))


def test_a_used_link_cannot_be_used_again(app, client):
    tenant = make_tenant(app)
    _invite(app, client, tenant, "once@example.test")
    path = _link(tenant, "once@example.test")
    _accept(app, path)
    again, posted = _accept(app, path, name="Someone Else", password="another long passphrase")
    assert posted.status_code == 410
    assert "This invitation has already been used" in text_of(posted)
    assert _users(tenant, "once@example.test") == 1
    assert again.get("/").status_code == 302  # not signed in


def test_a_double_submit_creates_one_user(app, client):
    tenant = make_tenant(app)
    _invite(app, client, tenant, "twice@example.test")
    path = _link(tenant, "twice@example.test")
    browser = app.test_client()
    browser.get(path)
    form = {"full_name": "Twice", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    first = browser.post(path, data=form)
    second = app.test_client().post(path, data=form)  # the same form sent again (another tab, a retry)
    assert (first.status_code, second.status_code) == (302, 410)
    assert _users(tenant, "twice@example.test") == 1


def test_a_withdrawn_link_is_refused(app, client):
    tenant = make_tenant(app)
    _invite(app, client, tenant, "withdrawn@example.test")
    invitation = _fresh(tenant).scalars(select(Invitation)).one()
    assert client.post(f"/team/invitations/{invitation.ref_id}/revoke").status_code == 302
    assert "The invitation to withdrawn@example.test is withdrawn." in text_of(client.get("/team/"))
    _, posted = _accept(app, _link(tenant, "withdrawn@example.test"))
    assert posted.status_code == 410 and "This invitation was withdrawn" in text_of(posted)
    assert _users(tenant, "withdrawn@example.test") == 0
    session = _fresh(tenant)
    assert session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == invitation.id)).all()[
        -1
    ] == ("team.invitation_revoked")


@pytest.mark.parametrize(
    "token",
    ["forged-token", "x" * 43, "A" * 300, "1' OR '1'='1"],
    ids=["made-up", "right-length", "huge", "sql"],
)
def test_a_forged_link_is_refused(app, client, token):
    page = client.get(f"/invitations/{token}")
    assert page.status_code == 404
    assert "This invitation link is not valid" in text_of(page)
    posted = client.post(
        f"/invitations/{token}",
        data={"full_name": "Eve", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
    )
    assert posted.status_code == 404 and "not valid" in text_of(posted)


def test_sending_again_replaces_the_link_and_is_throttled(app, client):
    tenant = make_tenant(app)
    _invite(app, client, tenant, "again@example.test")
    old = _link(tenant, "again@example.test")
    invitation = _fresh(tenant).scalars(select(Invitation)).one()
    client.post(f"/team/invitations/{invitation.ref_id}/resend")
    assert "was sent less than 5 minutes ago" in text_of(client.get("/team/"))
    assert len(_mails(tenant, "again@example.test")) == 1  # nothing sent

    session = _fresh(tenant)
    session.execute(update(Invitation).values(last_sent_on=func.now() - dt.timedelta(minutes=6)))
    session.commit()
    assert client.post(f"/team/invitations/{invitation.ref_id}/resend").status_code == 302
    assert "the earlier link no longer works" in text_of(client.get("/team/"))
    new = _link(tenant, "again@example.test")
    assert new != old
    page = app.test_client().get(old)
    assert page.status_code == 404 and "not valid" in text_of(page)
    _, accepted = _accept(app, new)
    assert accepted.status_code == 302 and _users(tenant, "again@example.test") == 1


def test_an_address_with_an_account_elsewhere_gets_the_same_answer_and_an_e_mail_saying_so(
    app, client, tenant_session
):
    tenant = make_tenant(app)
    elsewhere = make_user(make_tenant(app), "viewer")  # another tenant's user
    fresh = _invite(app, client, tenant, "nobody-yet@example.test")
    taken = client.post("/team/invitations", data={"email": elsewhere.email, "role": "marketer"})
    assert (fresh.status_code, fresh.headers["Location"]) == (taken.status_code, taken.headers["Location"])
    team = text_of(client.get("/team/"))
    assert f"Invitation sent to {elsewhere.email}. The link works for 7 days." in team
    assert f"{elsewhere.email} Marketer" in team  # listed like any other

    mail = _mails(tenant, elsewhere.email)[0]
    assert "You already have an account with another organisation" in " ".join(mail.body.split())
    assert "Ask" in mail.body and not LINK.search(mail.body) and not LINK.search(mail.html_body)
    assert _users(tenant, elsewhere.email) == 0


def test_a_suspended_tenants_invitation_cannot_be_accepted(app, client):
    tenant = make_tenant(app)
    _invite(app, client, tenant, "suspended@example.test")
    session = _fresh(tenant)
    session.execute(update(Tenant).values(status="suspended"))
    session.commit()
    path = _link(tenant, "suspended@example.test")
    page = app.test_client().get(path)
    assert page.status_code == 403 and "portal is suspended" in text_of(page)
    _, posted = _accept(app, path)
    assert posted.status_code == 403 and _users(tenant, "suspended@example.test") == 0


def test_the_password_rules_apply_and_the_name_is_kept(app, client):
    tenant = make_tenant(app)
    _invite(app, client, tenant, "rules@example.test")
    newcomer, short = _accept(
        app, _link(tenant, "rules@example.test"), name="Rule Follower", password="short"
    )
    assert short.status_code == 400
    assert "Use at least 12 characters" in text_of(short) and 'value="Rule Follower"' in short.text
    differ = newcomer.post(
        _link(tenant, "rules@example.test"),
        data={"full_name": "Rule Follower", "new_password": NEW_PASSWORD, "confirm_password": "other"},
    )
    assert differ.status_code == 400 and "The two new passwords differ." in text_of(differ)
    assert _users(tenant, "rules@example.test") == 0


def test_a_signed_in_person_is_asked_to_sign_out_first(app, client):
    tenant = make_tenant(app)
    _invite(app, client, tenant, "signed-in@example.test")
    page = client.get(_link(tenant, "signed-in@example.test"))  # the inviter's own browser
    assert page.status_code == 409 and "Sign out first" in text_of(page)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"email": "not-an-email", "role": "viewer"}, "Enter a valid e-mail address."),
        ({"email": "eve@example.test", "role": "superuser"}, "Not a valid choice"),
    ],
    ids=["not an e-mail", "an unknown role"],
)
def test_a_refused_invitation_is_told_why_and_keeps_what_was_typed(app, client, typed, message):
    tenant = make_tenant(app)
    response = _invite(app, client, tenant, typed["email"], typed["role"])
    assert response.status_code == 400
    assert message in text_of(response) and f'value="{typed["email"]}"' in response.text
    assert _mails(tenant, typed["email"]) == []


def test_a_member_or_a_waiting_invitation_is_not_invited_twice(app, client):
    tenant = make_tenant(app)
    member = make_user(tenant, "viewer")
    taken = _invite(app, client, tenant, member.email)
    assert taken.status_code == 400 and f"{member.email} already has an account in this portal." in text_of(
        taken
    )
    client.post("/team/invitations", data={"email": "pending@example.test", "role": "viewer"})
    again = client.post("/team/invitations", data={"email": "Pending@example.test", "role": "admin"})
    assert again.status_code == 400 and "has been invited already" in text_of(again)
    assert len(_mails(tenant, "pending@example.test")) == 1


def test_only_an_owner_invites_an_owner_or_handles_their_invitation(app, client):
    tenant = make_tenant(app)
    _invite(app, client, tenant, "new-owner@example.test", "owner")
    invitation = _fresh(tenant).scalars(select(Invitation)).one()
    admin = signed_in(app, make_user(tenant, "admin").email)
    refused = admin.post("/team/invitations", data={"email": "another@example.test", "role": "owner"})
    assert refused.status_code == 400 and "Only an owner can make or change an owner." in text_of(refused)
    admin.post(f"/team/invitations/{invitation.ref_id}/revoke")
    assert "Only an owner can make or change an owner." in text_of(admin.get("/team/"))
    session = _fresh(tenant)
    assert session.get(Invitation, (tenant.id, invitation.id)).revoked_on is None


def test_another_tenants_admin_cannot_resend_or_revoke(app, client, tenant_session):
    acme = tenant_of(tenant_session("acme"))
    _invite(app, client, acme, "acme-only@example.test")
    invitation = (
        _fresh(acme).scalars(select(Invitation).where(Invitation.email == "acme-only@example.test")).one()
    )
    northwind_admin = signed_in(app, "admin@northwind.test")
    for action in ("resend", "revoke"):
        assert northwind_admin.post(f"/team/invitations/{invitation.ref_id}/{action}").status_code == 404
    session = _fresh(acme)
    assert session.get(Invitation, (acme.id, invitation.id)).revoked_on is None


@pytest.mark.parametrize("role", ["marketer", "viewer", "sales_manager", "sales_rep"])
def test_roles_without_team_permission_cannot_invite(app, client, role):
    tenant = make_tenant(app)
    person = signed_in(app, make_user(tenant, role).email)
    answer = person.post("/team/invitations", data={"email": "sneaky@example.test", "role": "viewer"})
    assert answer.status_code == 403
    assert _mails(tenant, "sneaky@example.test") == []


def test_a_newcomer_to_a_tenant_that_requires_two_factor_enrols_before_anything_else(app, client):
    tenant = make_tenant(app)
    owner = signed_in(app, make_user(tenant, "owner").email)
    assert owner.post("/settings/two-factor", data={"require_two_factor": "y"}).status_code == 302
    owner.post("/team/invitations", data={"email": "strict@example.test", "role": "admin"})
    newcomer, accepted = _accept(app, _link(tenant, "strict@example.test"))
    assert accepted.status_code == 302
    for path in ("/", "/team/", "/leads/", "/account/password", "/settings/two-factor"):
        sent = newcomer.get(path)
        assert (sent.status_code, sent.headers.get("Location")) == (302, "/account/two-factor"), path
    page = newcomer.get("/account/two-factor")
    assert page.status_code == 200 and "Your team requires two-factor sign-in" in text_of(page)
    started = newcomer.post("/account/two-factor/start")
    assert started.headers["Location"] == "/account/two-factor/setup"
    assert newcomer.get("/account/two-factor/setup").status_code == 200


# -- two submits of the same link at the same moment, each on its own connection, committed for real --------


def test_two_submits_at_the_same_moment_create_one_user_and_tell_the_other_it_was_used(app):
    """Both requests are held at the invitation's row by a third transaction, then let go together: a
    read-then-write would let both claim it (the second then fails on the address, not as "used")."""
    database, tenant_id = app.extensions["db"], tenant_ids(app)["acme"]
    email = "race.newcomer@race.example"
    token = secrets.token_urlsafe(32)
    session = database.new_session(tenant_id)
    owner = user_of(session, "owner@acme.test")
    invitation = Invitation(
        tenant_id=tenant_id,
        email=email,
        role="viewer",
        invited_by=owner.id,
        created_by=owner.id,
        token_hash=token_hash(token),
        expires_on=dt.datetime.now(dt.UTC) + dt.timedelta(days=7),
        last_sent_on=dt.datetime.now(dt.UTC),
    )
    session.add(invitation)
    session.commit()
    blocker = database.new_session(tenant_id)
    try:
        path = f"/invitations/{token}"
        answers: list = [None, None]

        def submit(number: int) -> None:
            password = f"violet kettle harbour {number}"
            answers[number] = app.test_client().post(
                path,
                data={"full_name": f"Racer {number}", "new_password": password, "confirm_password": password},
            )

        blocker.execute(select(Invitation.id).where(Invitation.id == invitation.id).with_for_update()).all()
        threads = [threading.Thread(target=submit, args=(number,)) for number in (0, 1)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while (held := waiting_on_locks(session)) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        blocker.commit()  # let both go at once
        for thread in threads:
            thread.join(60)

        assert held == 2  # both requests really were in flight together
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [302, 410], [text_of(answer) for answer in answers]
        loser = next(answer for answer in answers if answer.status_code == 410)
        assert "This invitation has already been used or is no longer valid." in text_of(loser)
        session.expire_all()
        users = session.scalars(select(User).where(User.email == email)).all()
        assert len(users) == 1
        winner = answers.index(next(answer for answer in answers if answer.status_code == 302))
        assert users[0].full_name == f"Racer {winner}"
    finally:
        blocker.rollback()
        blocker.close()
        session.rollback()
        created = select(User.id).where(User.email == email).scalar_subquery()
        session.execute(delete(WebSession).where(WebSession.user_id.in_(created)))
        session.execute(delete(Invitation).where(Invitation.id == invitation.id))
        session.execute(delete(User).where(User.email == email))
        session.commit()
        session.close()
