"""``/account/notifications``: how the signed-in user hears about each kind of notification."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from portal.db import get_session
from portal.notifications import service
from portal.notifications.forms import PreferencesForm

bp = Blueprint("notifications", __name__)


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def preferences():
    """The user's own choices (bell only, e-mail now, daily digest) per kind; saved for them only."""
    form = PreferencesForm(data=service.preferences(get_session(), current_user))
    if form.validate_on_submit():
        service.save_preferences(get_session(), current_user, form.choices())
        flash("Your notification choices are saved.", "success")
        return redirect(url_for("notifications.preferences"))
    status = 400 if form.errors else 200
    return render_template(
        "notifications/preferences.html", form=form, digest_hour=service.DIGEST_HOUR
    ), status
