"""The notification preferences form: one choice per kind."""

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from portal.notifications.service import CHOICES, KINDS


class PreferencesForm(FlaskForm):
    """Bell only, e-mail now or daily digest, for each kind of KINDS (a field named after the kind)."""

    def choices(self) -> dict[str, str]:
        """The chosen value of each kind."""
        return {kind: self[kind].data for kind in KINDS}


# One field per kind, so a new kind in KINDS appears on the page without another definition.
for _kind, _label in KINDS.items():
    setattr(
        PreferencesForm,
        _kind,
        RadioField(
            _label,
            choices=[SelectChoice(value, label) for value, label in CHOICES.items()],
            validators=[InputRequired(message="Choose how to hear about this.")],
        ),
    )
