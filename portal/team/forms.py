"""Forms of the team page."""

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from portal.tenancy import ROLE_LABELS

ROLE_CHOICES = [SelectChoice(value, label) for value, label in ROLE_LABELS.items()]


class AddUserForm(FlaskForm):
    """A new member of the team."""

    full_name = StringField("Full name", validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        "E-mail",
        validators=[
            DataRequired(),
            Email(check_deliverability=False, message="Enter a valid e-mail address."),
            Length(max=254),
        ],
    )
    role = SelectField("Role", choices=ROLE_CHOICES, default="viewer")


class RoleForm(FlaskForm):
    """Change a user's role."""

    role = SelectField("Role", choices=ROLE_CHOICES)


class ActiveForm(FlaskForm):
    """Deactivate or reactivate a user."""

    active = HiddenField(validators=[DataRequired()])
