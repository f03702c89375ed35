"""Two-factor sign-in (TOTP): enrolment, the code at sign-in, replays refused, recovery codes, remembered
devices, the tenant's requirement and throttling; real codes from pyotp, real HTTP, real PostgreSQL."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import pyotp
import pytest

from portal.models import Tenant, User
from tests.conftest import PASSWORD, PortalClient, signed_in, text_of
from tests.factories import make_tenant, make_user

CODE_PAGE = "/login/code"
WRONG = "That code is not right, or was already used. Try the next one."


class Phone:
    """The user's authenticator app: each code it gives is of a later time step than the one before
    (a step may be at most one ahead of now, which the portal accepts for clock drift)."""

    def __init__(self, secret: str) -> None:
        self.totp = pyotp.TOTP(secret)
        self.last_step: int | None = None

    def code(self) -> str:
        """The code of the current step, or of the next one if the current one was used already."""
        now = self.totp.timecode(time.time())
        step = now if self.last_step is None or self.last_step < now else self.last_step + 1
        assert step <= now + 1, "a test needs more codes than two per 30 s"
        self.last_step = step
        return self.totp.generate_otp(step)


def _enrol(client) -> tuple[Phone, list[str]]:
    """Set up 2FA through the pages as the signed-in user: scan (read the key), confirm, read the codes."""
    started = client.post("/account/two-factor/start")
    assert started.status_code == 302 and started.headers["Location"] == "/account/two-factor/setup"
    setup = client.get("/account/two-factor/setup")
    assert setup.status_code == 200
    assert 'src="data:image/svg+xml' in setup.text  # the QR code
    assert setup.headers["Cache-Control"] == "no-store"
    secret = re.search(r'id="secret">([A-Z2-7 ]+)</code>', setup.text).group(1).replace(" ", "")
    phone = Phone(secret)
    confirmed = client.post("/account/two-factor/setup", data={"code": phone.code()})
    assert confirmed.status_code == 200, text_of(confirmed)
    codes = re.findall(r"<li>([a-z2-7]{5}-[a-z2-7]{5})</li>", confirmed.text)
    assert len(set(codes)) == 10
    return phone, codes


def _password_step(client, email: str):
    """The sign-in form with the right password."""
    return client.post("/login", data={"email": email, "password": PASSWORD})


def _signed_in_now(client) -> bool:
    return client.get("/").status_code == 200


@dataclass
class Enrolled:
    """A user with 2FA set up, their browser (signed out), their phone and their recovery codes."""

    tenant: Tenant
    user: User
    client: PortalClient
    phone: Phone
    codes: list[str]


@pytest.fixture
def viewer(app, client) -> Enrolled:
    """A viewer of a new tenant, who set up 2FA themselves (viewers may: it is their own account)."""
    tenant = make_tenant(app)
    user = make_user(tenant, "viewer")
    browser = signed_in(app, user.email)
    phone, codes = _enrol(browser)
    browser.post("/logout")
    return Enrolled(tenant, user, browser, phone, codes)


def test_a_viewer_enrols_and_then_signs_in_with_a_code(app, viewer):
    user, client, phone = viewer.user, viewer.client, viewer.phone
    asked = _password_step(client, user.email)
    assert asked.status_code == 302 and asked.headers["Location"] == CODE_PAGE
    assert not _signed_in_now(client)  # the password alone opens nothing
    page = client.get(CODE_PAGE)
    assert page.status_code == 200 and "Enter your code" in text_of(page)
    done = client.post(CODE_PAGE, data={"code": phone.code()})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert _signed_in_now(client)
    account = text_of(client.get("/account/two-factor"))
    assert "On Since" in account and "10 of 10 unused" in account


def test_a_wrong_code_is_refused_and_opens_nothing(viewer):
    user, client = viewer.user, viewer.client
    _password_step(client, user.email)
    refused = client.post(CODE_PAGE, data={"code": "000000"})
    assert refused.status_code == 401 and WRONG in text_of(refused)
    empty = client.post(CODE_PAGE, data={"code": ""})
    assert empty.status_code == 400 and "This field is required." in text_of(empty)
    assert not _signed_in_now(client)


def test_a_code_replayed_within_its_window_is_refused(app, viewer):
    user, client, phone = viewer.user, viewer.client, viewer.phone
    _password_step(client, user.email)
    code = phone.code()
    assert client.post(CODE_PAGE, data={"code": code}).status_code == 302
    client.post("/logout")
    other = app.test_client()  # someone who saw the code and knows the password, within the 30 s
    _password_step(other, user.email)
    replayed = other.post(CODE_PAGE, data={"code": code})
    assert replayed.status_code == 401 and WRONG in text_of(replayed)
    assert not _signed_in_now(other)


def test_the_enrolment_code_cannot_be_replayed_at_sign_in(app, client):
    user = make_user(make_tenant(app), "marketer")
    browser = signed_in(app, user.email)
    browser.post("/account/two-factor/start")
    setup = browser.get("/account/two-factor/setup")
    totp = pyotp.TOTP(re.search(r'id="secret">([A-Z2-7 ]+)</code>', setup.text).group(1).replace(" ", ""))
    code = totp.now()
    assert browser.post("/account/two-factor/setup", data={"code": code}).status_code == 200
    browser.post("/logout")
    _password_step(browser, user.email)
    assert browser.post(CODE_PAGE, data={"code": code}).status_code == 401


def test_enrolment_refuses_a_wrong_code_and_stays_off(app, client):
    user = make_user(make_tenant(app), "viewer")
    browser = signed_in(app, user.email)
    browser.post("/account/two-factor/start")
    refused = browser.post("/account/two-factor/setup", data={"code": "12345x"})
    assert refused.status_code == 400
    assert "That code is not right" in text_of(refused) and 'value="12345x"' in refused.text
    assert "Off" in text_of(browser.get("/account/two-factor"))
    browser.post("/logout")
    assert _password_step(browser, user.email).headers["Location"] == "/"  # no code asked


def test_a_recovery_code_signs_in_once(app, viewer):
    user, client, codes = viewer.user, viewer.client, viewer.codes
    _password_step(client, user.email)
    assert client.post(CODE_PAGE, data={"code": codes[0].upper()}).status_code == 302
    assert "9 of 10 unused" in text_of(client.get("/account/two-factor"))
    client.post("/logout")
    _password_step(client, user.email)
    again = client.post(CODE_PAGE, data={"code": codes[0]})
    assert again.status_code == 401 and not _signed_in_now(client)


def test_new_recovery_codes_replace_the_old_ones(app, viewer):
    user, client, phone, old = viewer.user, viewer.client, viewer.phone, viewer.codes
    _password_step(client, user.email)
    client.post(CODE_PAGE, data={"code": old[0]})
    refused = client.post("/account/two-factor/recovery-codes", data={"regenerate-code": "999999"})
    assert refused.status_code == 400 and "That code is not right" in text_of(refused)
    made = client.post("/account/two-factor/recovery-codes", data={"regenerate-code": phone.code()})
    new = re.findall(r"<li>([a-z2-7]{5}-[a-z2-7]{5})</li>", made.text)
    assert made.status_code == 200 and len(new) == 10 and not set(new) & set(old)
    client.post("/logout")
    _password_step(client, user.email)
    assert client.post(CODE_PAGE, data={"code": old[1]}).status_code == 401
    assert client.post(CODE_PAGE, data={"code": new[0]}).status_code == 302


def test_a_remembered_device_skips_the_code_until_forgotten(app, viewer):
    user, client, phone = viewer.user, viewer.client, viewer.phone
    _password_step(client, user.email)
    client.post(CODE_PAGE, data={"code": phone.code(), "remember": "y"})
    assert client.get_cookie("portal_device").http_only
    client.post("/logout")
    skipped = _password_step(client, user.email)
    assert skipped.status_code == 302 and skipped.headers["Location"] == "/"
    account = client.get("/account/two-factor")
    assert "Forget this device" in text_of(account)
    device = re.search(r'name="device" value="([0-9A-Z]{26})"', account.text).group(1)
    forgotten = client.post("/account/two-factor/devices/forget", data={"device": device})
    assert forgotten.status_code == 302
    assert "No remembered devices" in text_of(client.get("/account/two-factor"))
    client.post("/logout")
    assert _password_step(client, user.email).headers["Location"] == CODE_PAGE
    other = app.test_client()  # a browser never remembered: the code is asked
    assert _password_step(other, user.email).headers["Location"] == CODE_PAGE


def test_a_password_change_forgets_every_device(app, viewer):
    user, client, phone = viewer.user, viewer.client, viewer.phone
    _password_step(client, user.email)
    client.post(CODE_PAGE, data={"code": phone.code(), "remember": "y"})
    new_password = "a-new-long-passphrase-for-2fa"
    changed = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": new_password, "confirm_password": new_password},
    )
    assert changed.status_code == 302
    client.post("/logout")
    asked = client.post("/login", data={"email": user.email, "password": new_password})
    assert asked.headers["Location"] == CODE_PAGE


def test_nobody_else_can_forget_your_devices(app, viewer):
    user, client, phone = viewer.user, viewer.client, viewer.phone
    _password_step(client, user.email)
    client.post(CODE_PAGE, data={"code": phone.code(), "remember": "y"})
    device = re.search(r'name="device" value="([0-9A-Z]{26})"', client.get("/account/two-factor").text).group(
        1
    )
    client.post("/logout")
    stranger = signed_in(app, "owner@northwind.test")  # another tenant's owner
    assert stranger.post("/account/two-factor/devices/forget", data={"device": device}).status_code == 404
    colleague = signed_in(app, make_user(viewer.tenant, "owner").email)  # the same tenant's owner
    assert colleague.post("/account/two-factor/devices/forget", data={"device": device}).status_code == 404
    assert client.post("/account/two-factor/devices/forget", data={"device": "not-an-id"}).status_code == 302
    assert _password_step(client, user.email).headers["Location"] == "/"  # still remembered


def test_forgetting_an_unknown_device_is_404(app, viewer):
    user, client, phone = viewer.user, viewer.client, viewer.phone
    _password_step(client, user.email)
    client.post(CODE_PAGE, data={"code": phone.code()})
    assert client.post("/account/two-factor/devices/forget", data={"device": "0" * 26}).status_code == 404
    assert client.post("/account/two-factor/devices/forget", data={"device": "x' OR 1=1"}).status_code == 404


def test_turning_off_takes_the_password_and_a_code(app, viewer):
    user, client, phone = viewer.user, viewer.client, viewer.phone
    _password_step(client, user.email)
    client.post(CODE_PAGE, data={"code": viewer.codes[0]})
    refused = client.post(
        "/account/two-factor/off", data={"off-password": "wrong password", "off-code": "123456"}
    )
    assert refused.status_code == 400 and "That password or code is not right." in text_of(refused)
    done = client.post("/account/two-factor/off", data={"off-password": PASSWORD, "off-code": phone.code()})
    assert done.status_code == 302
    assert "Off" in text_of(client.get("/account/two-factor"))
    client.post("/logout")
    assert _password_step(client, user.email).headers["Location"] == "/"


def test_the_owner_requires_it_and_everyone_enrols_at_next_sign_in(app, client):
    tenant = make_tenant(app)
    owner, rep = make_user(tenant, "owner"), make_user(tenant, "sales_rep")
    owner_client = signed_in(app, owner.email)
    page = owner_client.get("/settings/two-factor")
    assert page.status_code == 200 and "Require two-factor sign-in for everyone" in text_of(page)
    assert owner_client.post("/settings/two-factor", data={"require_two_factor": "y"}).status_code == 302
    other_tenant_user = signed_in(app, "viewer@acme.test")  # Acme does not require it
    assert other_tenant_user.get("/").status_code == 200

    rep_client = signed_in(app, rep.email)
    for path in ("/", "/leads/", "/account/password"):
        sent = rep_client.get(path)
        assert sent.status_code == 302 and sent.headers["Location"] == "/account/two-factor", path
    assert "Your team requires two-factor sign-in" in text_of(rep_client.get("/account/two-factor"))
    _enrol(rep_client)
    assert rep_client.get("/").status_code == 200
    refused = rep_client.post("/account/two-factor/off", data={"off-password": PASSWORD, "off-code": "1"})
    assert refused.status_code == 400 and "Your team requires two-factor sign-in" in text_of(refused)


@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_only_the_owner_may_require_it(app, client, role):
    tenant = make_tenant(app)
    browser = signed_in(app, make_user(tenant, role).email)
    assert browser.get("/settings/two-factor").status_code == 403
    assert browser.post("/settings/two-factor", data={"require_two_factor": "y"}).status_code == 403
    assert "require it for everyone" not in text_of(browser.get("/account/two-factor"))


def test_code_attempts_are_throttled_like_the_password(app, viewer):
    user, client, phone = viewer.user, viewer.client, viewer.phone
    app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_IP"] = "3 per 5 minutes"
    try:
        _password_step(client, user.email)
        statuses = [client.post(CODE_PAGE, data={"code": "000000"}).status_code for _ in range(4)]
        assert statuses == [401, 401, 401, 429]
        assert client.post(CODE_PAGE, data={"code": phone.code()}).status_code == 429  # the right one waits
        assert not _signed_in_now(client)
    finally:
        app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_IP"] = "10000 per minute"


def test_the_code_page_without_a_right_password_sends_to_sign_in(client):
    sent = client.get(CODE_PAGE)
    assert sent.status_code == 302 and sent.headers["Location"] == "/login"
    posted = client.post(CODE_PAGE, data={"code": "123456"})
    assert posted.status_code == 302 and posted.headers["Location"] == "/login"
