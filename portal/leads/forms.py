"""Forms of the leads area."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from portal.inputs import DecimalField, IntegerField
from portal.leads.search import phone_digits

ACTIVITY_CHOICES = [
    SelectChoice("note", "Note"),
    SelectChoice("call", "Call"),
    SelectChoice("email_sent", "E-mail sent"),
    SelectChoice("meeting", "Meeting"),
]
MODE_CHOICES = [
    SelectChoice("manual", "Manual: new leads wait in the pool until someone assigns or claims them"),
    SelectChoice(
        "round_robin", "Round robin: each new lead goes to the active rep who was assigned least recently"
    ),
    SelectChoice("capacity", "By capacity: each new lead goes to the active rep with the fewest open leads"),
]
_PHONE = re.compile(r"^[\d\s()+\-./]+$")


def check_phone(_form, field) -> None:
    """A phone number: digits with the usual separators, 6 to 15 digits."""
    if field.data and (not _PHONE.match(field.data) or not 6 <= len(phone_digits(field.data) or "") <= 15):
        raise ValidationError("Enter a phone number of 6 to 15 digits, e.g. +44 7700 900123.")


class LeadFieldsForm(FlaskForm):
    """A person and how to reach them (the add form; the web form uses the same fields)."""

    first_name = StringField("First name", validators=[Optional(), Length(max=100)])
    last_name = StringField("Last name", validators=[Optional(), Length(max=100)])
    email = StringField(
        "E-mail",
        validators=[
            Optional(),
            Email(check_deliverability=False, message="Enter a valid e-mail address."),
            Length(max=254),
        ],
    )
    phone = StringField("Phone", validators=[Optional(), Length(max=40), check_phone])
    company = StringField("Company", validators=[Optional(), Length(max=200)])
    message = TextAreaField("Message", validators=[Optional(), Length(max=5000)])

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then: a lead needs an e-mail or a phone, and a name, company or e-mail."""
        ok = super().validate(extra_validators)
        if ok and not (self.email.data or self.phone.data):
            self.email.errors.append("Give an e-mail address or a phone number.")
            ok = False
        if ok and not (self.first_name.data or self.last_name.data or self.company.data or self.email.data):
            self.first_name.errors.append("Give a name or a company.")
            ok = False
        return ok


class AddLeadForm(LeadFieldsForm):
    """Add a lead by hand."""

    job_title = StringField("Job title", validators=[Optional(), Length(max=200)])
    estimated_value = DecimalField(
        "Estimated value", places=2, validators=[Optional(), NumberRange(min=0, max=9999999999)]
    )
    confirm_duplicate = BooleanField("Add it anyway: it is not the same person")


class WebLeadForm(LeadFieldsForm):
    """A lead posted from the tenant's own website (no CSRF token: the secret is in the URL)."""

    class Meta:
        csrf = False

    website = StringField("Leave empty")  # the honeypot: people never see it, bots fill it
    utm_source = StringField(validators=[Optional(), Length(max=200)])
    utm_medium = StringField(validators=[Optional(), Length(max=200)])
    utm_campaign = StringField(validators=[Optional(), Length(max=200)])
    page = StringField(validators=[Optional(), Length(max=2000)])


class VersionedForm(FlaskForm):
    """A decision on a lead, carrying the version the user saw (the loser of a race is told)."""

    version = IntegerField(widget=HiddenField.widget, validators=[DataRequired()])


class StatusForm(VersionedForm):
    """Move a lead to another status."""

    status = HiddenField(validators=[DataRequired()])
    reason = StringField("Reason", validators=[Optional(), Length(max=500)])


class ActivityForm(FlaskForm):
    """A note, call, e-mail or meeting on the timeline."""

    type = SelectField("What", choices=ACTIVITY_CHOICES, default="note")
    description = TextAreaField(
        "Details", validators=[DataRequired(message="Write what happened."), Length(max=5000)]
    )


class AssignForm(VersionedForm):
    """Assign a lead to a rep (managers), or hand it over (reps: the reason is then required)."""

    rep = SelectField("Sales rep", choices=[], validate_choice=False, validators=[DataRequired()])
    reason = StringField("Reason (optional)", validators=[Optional(), Length(max=500)])


class ClaimForm(VersionedForm):
    """Claim a lead from the pool, or release one's own."""


class BulkAssignForm(FlaskForm):
    """Assign the checked leads to one rep."""

    rep = SelectField("Assign to", choices=[], validate_choice=False, validators=[DataRequired()])
    reason = StringField("Reason (optional)", validators=[Optional(), Length(max=500)])


class SettingsForm(FlaskForm):
    """How new leads are assigned."""

    mode = RadioField("New leads are assigned", choices=MODE_CHOICES, validators=[DataRequired()])


class ImportUploadForm(FlaskForm):
    """A CSV file of leads."""

    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file.")])
