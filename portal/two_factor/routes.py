"""Two-factor sign-in: the account's section (enrol, recovery codes, remembered devices, turn off), the
sign-in's code page, and the owner's setting that requires it for everyone."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.auth import service as auth_service
from portal.auth.routes import start_session
from portal.extensions import limiter
from portal.tenancy import current_tenant, require
from portal.two_factor import pending, service
from portal.two_factor.forms import CodeForm, ForgetDeviceForm, PolicyForm, SignInCodeForm, TurnOffForm
from portal.web import client_ip, safe_next_url

bp = Blueprint("two_factor", __name__)

# Pages that show a secret or recovery codes: no cache may keep them.
PRIVATE = {"Cache-Control": "no-store"}


def _account_page(status: int = 200, regenerate: CodeForm | None = None, turn_off: TurnOffForm | None = None):
    return (
        render_template(
            "two_factor/account.html",
            overview=service.overview(current_user, current_tenant),
            regenerate=regenerate or CodeForm(prefix="regenerate", formdata=None),
            turn_off=turn_off or TurnOffForm(prefix="off", formdata=None),
            must_enrol=pending.must_enrol(),
        ),
        status,
        PRIVATE,
    )


def _codes_page(codes: list[str]):
    return render_template("two_factor/recovery_codes.html", codes=codes), 200, PRIVATE


@bp.route("/account/two-factor")
@login_required
def account():
    """The account's two-factor section: off (set it up), or on (codes, devices, turn off)."""
    return _account_page()


@bp.route("/account/two-factor/start", methods=["POST"])
@login_required
def start():
    """Draw a new secret and show it for the app to scan."""
    try:
        service.start_enrolment(current_user)
    except service.AlreadyOn:
        flash("Two-factor sign-in is already on.", "info")
        return redirect(url_for("two_factor.account"))
    return redirect(url_for("two_factor.setup"))


@bp.route("/account/two-factor/setup", methods=["GET", "POST"])
@login_required
def setup():
    """Scan the QR code (or type the secret), confirm with a first code, then see the recovery codes once."""
    enrolment = service.pending_enrolment(current_user, current_tenant)
    if enrolment is None:
        return redirect(url_for("two_factor.account"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = service.confirm_enrolment(current_user, form.code.data)
        except service.CodeRefused:
            form.code.errors.append(
                "That code is not right. Check the app shows this account, then try again."
            )
        else:
            pending.enrolled()
            return _codes_page(codes)
    status = 400 if form.errors else 200
    return render_template("two_factor/setup.html", form=form, enrolment=enrolment), status, PRIVATE


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@login_required
def regenerate():
    """New recovery codes (the old ones stop working), after a code from the app."""
    form = CodeForm(prefix="regenerate")
    if form.validate_on_submit():
        try:
            return _codes_page(service.regenerate_recovery_codes(current_user, form.code.data))
        except service.CodeRefused:
            form.code.errors.append("That code is not right, or was already used. Wait for the next one.")
    return _account_page(400, regenerate=form)


@bp.route("/account/two-factor/off", methods=["POST"])
@login_required
def turn_off():
    """Turn two-factor sign-in off (with the password and a code); refused while the team requires it."""
    form = TurnOffForm(prefix="off")
    if form.validate_on_submit():
        try:
            service.turn_off(current_user, current_tenant, form.password.data, form.code.data)
        except service.TurnOffRefused as refused:
            form.code.errors.append(str(refused))
        else:
            flash("Two-factor sign-in is off. Remembered devices are forgotten.", "success")
            return redirect(url_for("two_factor.account"))
    return _account_page(400, turn_off=form)


@bp.route("/account/two-factor/devices/forget", methods=["POST"])
@login_required
def forget_device():
    """Forget one of one's remembered devices (any other id is a 404): it will ask for a code again."""
    form = ForgetDeviceForm()
    if not form.validate_on_submit():
        return _account_page(400)
    service.forget_device(current_user, form.device.data)
    flash("That device is forgotten: it will ask for a code at the next sign-in.", "success")
    return redirect(url_for("two_factor.account"))


def _wrong_code(response) -> bool:
    """Only wrong codes count towards the ceilings, as for passwords."""
    return response.status_code == 401


def _account_key() -> str:
    return "two-factor-account:" + pending.held_account()


def _account_and_ip_key() -> str:
    return f"two-factor-account-ip:{pending.held_account()}|{client_ip()}"


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"], deduct_when=_wrong_code)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_IP"],
    key_func=_account_and_ip_key,
    methods=["POST"],
    deduct_when=_wrong_code,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_wrong_code,
)
def code():
    """The sign-in's second step: a code from the app (or a recovery code) opens the session."""
    held = pending.held()
    found = auth_service.code_due_user(held["tid"], held["uid"]) if held else None
    if found is None:
        flash("Please sign in again.", "info")
        return redirect(url_for("auth.login"))
    user, tenant = found
    form = SignInCodeForm()
    if form.validate_on_submit():
        try:
            signed_in, device = auth_service.sign_in_with_code(
                user, tenant, form.code.data, form.remember.data, client_ip(), request.user_agent.string
            )
        except service.CodeRefused:
            form.code.errors.append("That code is not right, or was already used. Try the next one.")
            return render_template("two_factor/code.html", form=form, email=user.email), 401
        start_session(signed_in)
        response = redirect(safe_next_url(held.get("next")) or url_for("dashboard.index"))
        if device:
            pending.remember(response, device)
        return response
    status = 400 if form.errors else 200
    return render_template("two_factor/code.html", form=form, email=user.email), status


@bp.route("/settings/two-factor", methods=["GET", "POST"])
@login_required
@require("two_factor.require")
def policy():
    """The owner requires two-factor sign-in for everyone (from each person's next sign-in), or not."""
    form = PolicyForm(require_two_factor=service.is_required(current_tenant))
    if form.validate_on_submit():
        service.set_required(current_tenant, form.require_two_factor.data, current_user)
        if form.require_two_factor.data:
            flash(
                "Two-factor sign-in is now required: each person sets it up at their next sign-in.", "success"
            )
        else:
            flash("Two-factor sign-in is no longer required (those who use it keep it).", "success")
        return redirect(url_for("two_factor.policy"))
    status = 400 if form.errors else 200
    return render_template("two_factor/policy.html", form=form), status
