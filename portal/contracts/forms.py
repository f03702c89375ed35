"""Forms of the contract page: accept (typed name and consent) or decline (with a reason)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class AcceptForm(FlaskForm):
    """The owner's simple electronic signature: their typed full name and the ticked consent statement."""

    full_name = StringField(
        "Your full name",
        validators=[DataRequired(message="Type your full name to sign."), Length(max=200)],
    )
    consent = BooleanField(
        "I agree", validators=[DataRequired(message="Tick the statement to accept the contract.")]
    )


class DeclineForm(FlaskForm):
    """Declining, with the reason the agency needs to send a revised version."""

    reason = TextAreaField(
        "Why are you declining?",
        validators=[
            DataRequired(message="Tell the agency why, so they can send a revised version."),
            Length(max=2000),
        ],
    )
