"""Forms of the team page and of accepting an invitation."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from portal.auth.forms import NewPasswordForm
from portal.models import User
from portal.tenancy import ROLE_LABELS

ROLE_CHOICES = [SelectChoice(value, label) for value, label in ROLE_LABELS.items()]


class InviteForm(FlaskForm):
    """An address to invite, and the role it will have."""

    email = EmailField(
        "E-mail",
        validators=[
            DataRequired(),
            Email(check_deliverability=False, message="Enter a valid e-mail address."),
            Length(max=254),
        ],
    )
    role = SelectField("Role", choices=ROLE_CHOICES, default="viewer")


class AcceptInvitationForm(NewPasswordForm):
    """The invited person's name and password (held to the password rules, their name and address too)."""

    full_name = StringField("Your name", validators=[DataRequired(), Length(max=120)])

    def __init__(self, email: str, **kwargs) -> None:
        super().__init__(**kwargs)
        # Not saved: the password rules compare against the account as it will be.
        self.owner = User(email=email, full_name=self.full_name.data or "")


class RoleForm(FlaskForm):
    """Change a user's role."""

    role = SelectField("Role", choices=ROLE_CHOICES)


class ActiveForm(FlaskForm):
    """Deactivate or reactivate a user."""

    active = HiddenField(validators=[DataRequired()])
