"""Forms of the content area."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from portal.content.kinds import PLATFORM_LABELS
from portal.inputs import IntegerField
from portal.models.content import SOCIAL_PLATFORMS

TONES = [
    SelectChoice(value, label)
    for value, label in (
        ("", "Let the agency choose"),
        ("friendly", "Friendly"),
        ("professional", "Professional"),
        ("authoritative", "Authoritative"),
        ("playful", "Playful"),
        ("reassuring", "Reassuring"),
    )
]
PLATFORM_CHOICES = [SelectChoice(p, PLATFORM_LABELS[p]) for p in SOCIAL_PLATFORMS]

# The hidden version of an edit form (the one its page was opened at) garbled; one missing matches none.
STALE_FORM = "This page was not understood: reload it and make your change again."


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (the field macro renders it as a fieldset)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class BlogRequestForm(FlaskForm):
    """Ask for (or change) a blog post request."""

    topic = StringField("Topic", validators=[DataRequired("Say what the post is about."), Length(max=200)])
    keywords = StringField(
        "Keywords",
        validators=[Optional(), Length(max=1000)],
        description="Separate with commas; up to 10, each up to 60 characters.",
    )
    brief = TextAreaField("Brief", validators=[Optional(), Length(max=5000)])
    target_audience = StringField("Target audience", validators=[Optional(), Length(max=200)])
    tone = SelectField("Tone", choices=TONES, validators=[Optional()])
    target_word_count = IntegerField(
        "Target word count",
        validators=[Optional(), NumberRange(100, 20000, "Between 100 and 20,000 words.")],
    )
    due_on = DateField("Due date", validators=[InputRequired("Choose a due date.")])
    channel = SelectField("Publish on", choices=[], validators=[Optional()])
    deliverable = SelectField("Counts towards", choices=[], validators=[Optional()])
    version = HiddenField(validators=[Optional(), Regexp(r"^\d{1,9}$", message=STALE_FORM)])


class SocialRequestForm(FlaskForm):
    """Ask for (or change) social posts."""

    brief = TextAreaField(
        "Brief", validators=[DataRequired("Say what the posts should be about."), Length(max=5000)]
    )
    platforms = MultiCheckboxField(
        "Platforms",
        choices=PLATFORM_CHOICES,
        validators=[DataRequired("Choose at least one platform.")],
    )
    due_on = DateField("Due date", validators=[InputRequired("Choose a due date.")])
    deliverable = SelectField("Counts towards", choices=[], validators=[Optional()])
    version = HiddenField(validators=[Optional(), Regexp(r"^\d{1,9}$", message=STALE_FORM)])


class DecisionForm(FlaskForm):
    """Approve or reject a post at the version the user read."""

    # Sent by the button pressed, so not a hidden input of the form.
    decision = SelectField(choices=[SelectChoice("approve", "Approve"), SelectChoice("reject", "Send back")])
    version = HiddenField(validators=[DataRequired()])
    note = TextAreaField("Note for the agency", validators=[Optional(), Length(max=2000)])
    override = BooleanField("Approve over the limit")
    override_reason = StringField(
        "Why it may go out over the limit", validators=[Optional(), Length(max=500)]
    )


class BacklinkStatusForm(FlaskForm):
    """Move a directory opportunity."""

    status = HiddenField(validators=[DataRequired()])


class BacklinkStepForm(FlaskForm):
    """Tick or untick one step of a directory opportunity."""

    step = HiddenField(validators=[DataRequired(), Regexp(r"^\d{1,4}$")])
    done = HiddenField(validators=[DataRequired()])
