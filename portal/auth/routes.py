"""Sign-in, sign-out, password change and password reset by e-mail."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth import reset, service
from portal.auth.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, ResetPasswordForm
from portal.extensions import limiter
from portal.two_factor import pending
from portal.web import client_ip, safe_next_url

bp = Blueprint("auth", __name__)


def _failed(response) -> bool:
    """Only wrong credentials count: a refused (429) attempt must not fill the account's ceiling further."""
    return response.status_code == 401


def _email() -> str:
    return (request.form.get("email") or "").strip().lower()


def _account_key() -> str:
    return "login-account:" + _email()


def _account_and_ip_key() -> str:
    return f"login-account-ip:{_email()}|{client_ip()}"


def _account_ceiling_reached(breached) -> None:
    """Tell the account's user that sign-ins are paused (once per window of the limit)."""
    window = dt.timedelta(seconds=breached.limit.get_expiry())
    service.tell_user_of_throttling(_email(), window)


def start_session(signed_in: service.SignedIn) -> None:
    """A fresh cookie session for a new sign-in (nothing carried over from before)."""
    session.clear()
    session["tid"] = str(signed_in.tenant.id)
    session["sid"] = signed_in.token
    if signed_in.must_enrol:  # the tenant requires two-factor sign-in and this user has none yet
        session[pending.ENROL_KEY] = True
    login_user(signed_in.user)
    g.user_ref, g.tenant_ref = signed_in.user.ref_id, signed_in.tenant.ref_id  # for the request log


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"], deduct_when=_failed)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_IP"],
    key_func=_account_and_ip_key,
    methods=["POST"],
    deduct_when=_failed,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
    on_breach=_account_ceiling_reached,
)
def login():
    """Show the sign-in form; on success go where the user was heading."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            signed_in = service.sign_in(
                form.email.data,
                form.password.data,
                client_ip(),
                request.user_agent.string,
                pending.device_token(),
            )
        except service.CodeDue as due:
            return pending.hold_for_code(due, request.args.get("next"))
        except service.SignInRefused as refused:
            if refused.reason == "suspended":
                return render_template("auth/suspended.html", tenant_name=refused.tenant_name), 403
            form.password.errors.append("That e-mail and password do not match an active account.")
            return render_template("auth/login.html", form=form), 401
        start_session(signed_in)
        return redirect(safe_next_url(request.args.get("next")) or url_for("dashboard.index"))
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """End this browser's session on the server, then forget the cookie."""
    service.sign_out(current_user, session.get("sid", ""))
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's password; every other session ends."""
    form = ChangePasswordForm(owner=current_user)
    if form.validate_on_submit():
        token = service.change_password(
            current_user,
            form.current_password.data,
            form.new_password.data,
            client_ip(),
            request.user_agent.string,
        )
        if token is None:
            form.current_password.errors.append("That is not your current password.")
        else:
            session["sid"] = token
            flash("Your password is changed. Other devices have been signed out.", "success")
            return redirect(url_for("dashboard.index"))
    status = 400 if form.errors else 200
    return render_template("auth/change_password.html", form=form), status


def _reset_email_key() -> str:
    return "reset-email:" + _email()


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_IP"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_EMAIL"], key_func=_reset_email_key, methods=["POST"]
)
def forgot_password():
    """Ask for a reset link by e-mail; the answer is the same whether or not the address has an account."""
    if current_user.is_authenticated:
        return redirect(url_for("auth.change_password"))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        reset.request_reset(form.email.data, client_ip())
        return render_template("auth/reset_sent.html", email=form.email.data)
    status = 400 if form.errors else 200
    return render_template("auth/forgot_password.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from an e-mailed link; every session of the user ends."""
    if current_user.is_authenticated:
        flash("You are signed in: change your password here.", "info")
        return redirect(url_for("auth.change_password"))
    # The page holds a live link and the user's address: no cache may keep it.
    private = {"Cache-Control": "no-store"}
    try:
        link = reset.find_link(token)
        form = ResetPasswordForm(owner=link.user)
        if form.validate_on_submit():
            reset.reset_password(link, form.new_password.data, client_ip())
            flash("Your password is changed and every device was signed out. Sign in with it now.", "success")
            return redirect(url_for("auth.login"))
    except reset.ResetRefused as refused:
        return render_template("auth/reset_refused.html", message=refused.message), 400, private
    status = 400 if form.errors else 200
    return render_template("auth/reset_password.html", form=form, email=link.user.email), status, private
