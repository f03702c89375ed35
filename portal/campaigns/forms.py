"""Forms of the campaigns area: the tenant's decisions."""

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from portal.campaigns.search_terms import TERM_LABEL_TEXT


class CampaignDecisionForm(FlaskForm):
    """Approve a campaign, or send it back to the agency with a note (required then)."""

    decision = SelectField(
        choices=[SelectChoice("approve", "Approve"), SelectChoice("changes", "Request changes")]
    )
    note = TextAreaField(
        "Note to the agency",
        validators=[Optional(), Length(max=2000)],
        description="Required when you request changes: say what should change.",
    )

    def validate(self, extra_validators=None) -> bool:
        """A note is required to send a campaign back."""
        if not super().validate(extra_validators):
            return False
        if self.decision.data == "changes" and not (self.note.data or "").strip():
            self.note.errors.append("Say what should change, so the agency knows what to fix.")
            return False
        return True


class RecommendationDecisionForm(FlaskForm):
    """Approve or reject a recommendation, with an optional note."""

    decision = SelectField(choices=[SelectChoice("approve", "Approve"), SelectChoice("reject", "Reject")])
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=2000)])


class TermReviewForm(FlaskForm):
    """Confirm the AI's labels or set one label, for one term or many."""

    term = SelectMultipleField("Search terms", validate_choice=False)
    decision = SelectField(
        "Decision",
        choices=[
            SelectChoice("confirm", "Confirm the AI label"),
            *(SelectChoice(v, t) for v, t in TERM_LABEL_TEXT.items()),
        ],
    )
