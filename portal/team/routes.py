"""The team page (owner, admin)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from portal.models import User
from portal.team import service
from portal.team.forms import ActiveForm, AddUserForm, RoleForm
from portal.tenancy import PERMISSIONS, ROLE_LABELS, get_or_404, require

bp = Blueprint("team", __name__, url_prefix="/team")


def _page(
    form: AddUserForm, status: int = 200, new_password: str | None = None, new_user: User | None = None
):
    return (
        render_template(
            "team/index.html",
            users=service.list_users(),
            form=form,
            permissions=PERMISSIONS,
            roles=ROLE_LABELS,
            role_form=RoleForm,
            new_password=new_password,
            new_user=new_user,
        ),
        status,
    )


@bp.route("/")
@login_required
@require("team.manage")
def index():
    """The tenant's users, the add form and the role matrix."""
    return _page(AddUserForm())


@bp.route("/users", methods=["POST"])
@login_required
@require("team.manage")
def add_user():
    """Add a user; their one-time password is shown once on the page that follows."""
    form = AddUserForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        user, password = service.add_user(form.full_name.data, form.email.data, form.role.data, current_user)
    except service.TeamRuleError as error:
        form.email.errors.append(str(error))
        return _page(form, 400)
    return _page(AddUserForm(formdata=None), 201, new_password=password, new_user=user)


@bp.route("/users/<ulid:user_ref>/role", methods=["POST"])
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


@bp.route("/users/<ulid:user_ref>/active", methods=["POST"])
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
