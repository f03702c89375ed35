"""Forms of two-factor sign-in."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

CODE_HINT = "The 6-digit code your authenticator app shows now."


class CodeForm(FlaskForm):
    """A code from the authenticator app."""

    code = StringField(
        "Code from your app", validators=[DataRequired(), Length(max=20)], description=CODE_HINT
    )


class SignInCodeForm(FlaskForm):
    """The sign-in's second step: a code from the app or a recovery code, and whether to remember the device."""

    code = StringField(
        "Code",
        validators=[DataRequired(), Length(max=40)],
        description="The 6-digit code from your authenticator app, or one of your recovery codes.",
    )
    remember = BooleanField("Remember this device for 30 days")


class TurnOffForm(FlaskForm):
    """Turning two-factor sign-in off takes the password and a code."""

    password = PasswordField("Your password", validators=[DataRequired(), Length(max=1024)])
    code = StringField(
        "Code",
        validators=[DataRequired(), Length(max=40)],
        description="A code from your app, or a recovery code.",
    )


class ForgetDeviceForm(FlaskForm):
    """Which remembered device to forget."""

    device = HiddenField(validators=[DataRequired(), Length(max=26)])


class PolicyForm(FlaskForm):
    """The owner's setting."""

    require_two_factor = BooleanField("Require two-factor sign-in for everyone in the team")
