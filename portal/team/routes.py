"""The team page (owner, admin): members, invitations, roles; and the public page that accepts an invitation."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.auth.routes import start_session
from portal.extensions import limiter
from portal.models import Invitation, User
from portal.team import invitations, service
from portal.team.forms import AcceptInvitationForm, ActiveForm, InviteForm, RoleForm
from portal.tenancy import PERMISSIONS, ROLE_LABELS, current_tenant, get_or_404, require
from portal.web import client_ip

bp = Blueprint("team", __name__)

# The acceptance page holds a live link and the invited address: no cache may keep it.
PRIVATE = {"Cache-Control": "no-store"}


def _page(form: InviteForm, status: int = 200):
    return (
        render_template(
            "team/index.html",
            users=service.list_users(),
            invitations=invitations.pending(),
            invitation_days=invitations.INVITATION_DAYS,
            form=form,
            permissions=PERMISSIONS,
            roles=ROLE_LABELS,
            role_form=RoleForm,
        ),
        status,
    )


@bp.route("/team/")
@login_required
@require("team.manage")
def index():
    """The tenant's users, the pending invitations, the invite form and the role matrix."""
    return _page(InviteForm())


@bp.route("/team/invitations", methods=["POST"])
@login_required
@require("team.manage")
def invite():
    """Invite an address by e-mail; every address gets the same answer (no account is revealed)."""
    form = InviteForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        invitation = invitations.invite(form.email.data, form.role.data, current_user)
    except service.TeamRuleError as error:
        form.email.errors.append(str(error))
        return _page(form, 400)
    flash(
        f"Invitation sent to {invitation.email}. The link works for {invitations.INVITATION_DAYS} days.",
        "success",
    )
    return redirect(url_for("team.index"))


@bp.route("/team/invitations/<ulid:invitation_ref>/resend", methods=["POST"])
@login_required
@require("team.manage")
def resend_invitation(invitation_ref: str):
    """Send an invitation again with a new link (the old one stops working)."""
    invitation = get_or_404(Invitation, invitation_ref)
    try:
        invitations.resend(invitation, current_user)
        flash(f"Invitation sent again to {invitation.email}; the earlier link no longer works.", "success")
    except service.TeamRuleError as error:
        flash(str(error), "error")
    return redirect(url_for("team.index"))


@bp.route("/team/invitations/<ulid:invitation_ref>/revoke", methods=["POST"])
@login_required
@require("team.manage")
def revoke_invitation(invitation_ref: str):
    """Withdraw an invitation: its link stops working."""
    invitation = get_or_404(Invitation, invitation_ref)
    try:
        invitations.revoke(invitation, current_user)
        flash(f"The invitation to {invitation.email} is withdrawn.", "success")
    except service.TeamRuleError as error:
        flash(str(error), "error")
    return redirect(url_for("team.index"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def accept_invitation(token: str):
    """Public: the invited person chooses their name and password, and is signed in with the invited role."""
    if current_user.is_authenticated:
        message = (
            f"You are signed in as {current_user.email}. Sign out first, then open the invitation link again."
        )
        return render_template("auth/invitation_refused.html", message=message), 409, PRIVATE
    try:
        invitation = invitations.find(token)
        form = AcceptInvitationForm(invitation.email)
        if form.validate_on_submit():
            signed_in = invitations.accept(
                invitation,
                form.full_name.data,
                form.new_password.data,
                client_ip(),
                request.user_agent.string,
            )
            start_session(signed_in)
            flash(f"Welcome to {signed_in.tenant.name}'s portal.", "success")
            return redirect(url_for("dashboard.index"))
    except invitations.InvitationRefused as refused:
        return render_template("auth/invitation_refused.html", message=str(refused)), refused.status, PRIVATE
    status = 400 if form.errors else 200
    page = render_template(
        "auth/invitation.html", form=form, invitation=invitation, tenant=current_tenant, roles=ROLE_LABELS
    )
    return page, status, PRIVATE


@bp.route("/team/users/<ulid:user_ref>/role", methods=["POST"])
@login_required
@require("team.manage")
def change_role(user_ref: str):
    """Change a user's role."""
    user = get_or_404(User, user_ref)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            service.change_role(user, form.role.data, current_user)
            flash(f"{user.full_name} is now {ROLE_LABELS[user.role]}.", "success")
        except service.TeamRuleError as error:
            flash(str(error), "error")
    else:
        flash("Choose one of the listed roles.", "error")
    return redirect(url_for("team.index"))


@bp.route("/team/users/<ulid:user_ref>/active", methods=["POST"])
@login_required
@require("team.manage")
def set_active(user_ref: str):
    """Deactivate or reactivate a user."""
    user = get_or_404(User, user_ref)
    form = ActiveForm()
    if form.validate_on_submit() and form.active.data in ("0", "1"):
        try:
            service.set_active(user, form.active.data == "1", current_user)
            flash(f"{user.full_name} is {'active' if user.is_active else 'deactivated'}.", "success")
        except service.TeamRuleError as error:
            flash(str(error), "error")
    else:
        flash("That request was not understood.", "error")
    return redirect(url_for("team.index"))
