"""Forms of the planning pages: a strategy decision and a blocked task."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class ApproveForm(FlaskForm):
    """Approve a strategy (an optional note for the agency)."""

    note = TextAreaField("Note for the agency (optional)", validators=[Optional(), Length(max=2000)])


class RejectForm(FlaskForm):
    """Reject a strategy: the note is required (the agency rewrites from it)."""

    note = TextAreaField(
        "Why do you reject it?",
        validators=[DataRequired("Say why you reject the strategy."), Length(max=2000)],
    )


class BlockedForm(FlaskForm):
    """Mark a task blocked: what blocks it."""

    note = TextAreaField(
        "What blocks this task?",
        validators=[DataRequired("Say what blocks the task."), Length(max=1000)],
    )


class DoneForm(FlaskForm):
    """Mark a task done (CSRF only)."""
