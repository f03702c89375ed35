"""Forms of sign-in, password change and password reset."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, ValidationError
from wtforms.validators import DataRequired, Email, EqualTo, Length

from portal.auth.passwords import check_new_password

if TYPE_CHECKING:
    from portal.models import User


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


class NewPasswordForm(FlaskForm):
    """A new password twice, held to the password rules for the user it is for (``owner``)."""

    new_password = PasswordField("New password", validators=[DataRequired()])
    confirm_password = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("new_password", message="The two new passwords differ.")],
    )

    def __init__(self, *, owner: User | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.owner = owner

    def validate_new_password(self, field) -> None:
        """Every rule the password breaks, in one message (portal.auth.passwords.check_new_password)."""
        problems = check_new_password(field.data, self.owner)
        if problems:
            raise ValidationError(" ".join(problems))


class ChangePasswordForm(NewPasswordForm):
    """The current password, and the new one twice."""

    current_password = PasswordField("Current password", validators=[DataRequired()])


class ForgotPasswordForm(FlaskForm):
    """The address to send a reset link to."""

    email = EmailField(
        "E-mail",
        validators=[
            DataRequired(),
            Length(max=254),
            Email(message="Enter an e-mail address, like name@example.com."),
        ],
    )


class ResetPasswordForm(NewPasswordForm):
    """The new password chosen from a reset link."""
