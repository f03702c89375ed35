"""One form per wizard step (each maps its answers to and from ``onboarding_runs.inputs``), and the review.

The keys in ``inputs`` are the platform's camelCase ones (channels, brandVoice, brandAssets, documents,
baseline, budget), so the agents read the same shape whether the wizard or the agency wrote it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.inputs import DecimalField, IntegerField
from portal.models.channels import CHANNEL_TYPES

CHANNEL_LABELS = {
    "website": "Website",
    "blog": "Blog",
    "wordpress": "WordPress",
    "google_analytics": "Google Analytics",
    "google_search_console": "Google Search Console",
    "google_ads": "Google Ads",
    "meta_ads": "Meta Ads",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "linkedin": "LinkedIn",
    "x": "X (Twitter)",
    "google_business_profile": "Google Business Profile",
    "email": "E-mail newsletter",
}
AD_PLATFORMS = (("googleAds", "Google Ads"), ("metaAds", "Meta Ads"), ("linkedinAds", "LinkedIn Ads"))
SOCIAL_NETWORKS = (("facebook", "Facebook"), ("instagram", "Instagram"), ("linkedin", "LinkedIn"), ("x", "X"))


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as check boxes (the ``field`` macro renders it as a fieldset)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def http_url(form: FlaskForm, field: Field) -> None:
    """Only web addresses: http(s) with a host (no javascript:, mailto:, files)."""
    if field.data and not _is_http_url(field.data.strip()):
        raise ValidationError("Enter a web address starting with http:// or https://.")


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in value


def _words(text: str | None) -> list[str]:
    """A comma- or line-separated list, trimmed, without empties or repeats."""
    seen: list[str] = []
    for part in (text or "").replace("\n", ",").split(","):
        word = " ".join(part.split())
        if word and word not in seen:
            seen.append(word)
    return seen


def _joined(value: Any) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value or "")


def _number(value: Decimal | int | None) -> int | str | None:
    """A number for JSON: whole numbers as int, others as an exact decimal string (never a float)."""
    if value is None:
        return None
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return str(value.normalize())
    return int(value)


def _non_negative(label: str) -> list:
    return [Optional(), NumberRange(min=0, message=f"{label} cannot be negative.")]


def _percent() -> list:
    return [Optional(), NumberRange(min=0, max=100, message="Enter a percentage between 0 and 100.")]


class StepForm(FlaskForm):
    """A wizard step. Each step defines ``answers()`` (its answers as top-level keys of ``inputs``) and the
    static ``prefill(inputs)`` (field data from saved inputs, so a returning user sees what they answered)."""


class ChannelsForm(StepForm):
    """Which channels the agency should connect, and the website's address."""

    channels = MultiCheckboxField(
        "Channels you use",
        choices=[SelectChoice(k, v) for k, v in CHANNEL_LABELS.items()],
        validate_choice=True,
    )
    website = StringField("Website address", validators=[Optional(), Length(max=300), http_url])

    def answers(self) -> dict[str, Any]:
        return {
            "channels": list(self.channels.data or []),
            "website": (self.website.data or "").strip() or None,
        }

    @staticmethod
    def prefill(inputs: dict[str, Any]) -> dict[str, Any]:
        return {
            "channels": [c for c in inputs.get("channels") or [] if c in CHANNEL_TYPES],
            "website": inputs.get("website") or "",
        }


class BrandVoiceForm(StepForm):
    """How the tenant sounds: tone, personality, vocabulary, writing style and audience."""

    tone = StringField("Tone", validators=[Optional(), Length(max=200)])
    personality = StringField("Personality", validators=[Optional(), Length(max=300)])
    vocabulary_use = StringField("Words to use", validators=[Optional(), Length(max=500)])
    vocabulary_avoid = StringField("Words to avoid", validators=[Optional(), Length(max=500)])
    writing_style = TextAreaField("Writing style", validators=[Optional(), Length(max=1000)])
    audience = TextAreaField("Audience", validators=[Optional(), Length(max=1000)])

    def answers(self) -> dict[str, Any]:
        return {
            "brandVoice": {
                "tone": (self.tone.data or "").strip(),
                "personality": _words(self.personality.data),
                "vocabulary": {
                    "use": _words(self.vocabulary_use.data),
                    "avoid": _words(self.vocabulary_avoid.data),
                },
                "writingStyle": (self.writing_style.data or "").strip(),
                "audience": (self.audience.data or "").strip(),
            }
        }

    @staticmethod
    def prefill(inputs: dict[str, Any]) -> dict[str, Any]:
        voice = inputs.get("brandVoice") or {}
        vocabulary = voice.get("vocabulary") or {}
        return {
            "tone": voice.get("tone") or "",
            "personality": _joined(voice.get("personality")),
            "vocabulary_use": _joined(vocabulary.get("use")),
            "vocabulary_avoid": _joined(vocabulary.get("avoid")),
            "writing_style": voice.get("writingStyle") or "",
            "audience": voice.get("audience") or "",
        }


class BrandAssetsForm(StepForm):
    """Colours, fonts and where the logo is."""

    colors = StringField("Brand colours", validators=[Optional(), Length(max=200)])
    fonts = StringField("Fonts", validators=[Optional(), Length(max=300)])
    logo_url = StringField("Logo address", validators=[Optional(), Length(max=500), http_url])

    def validate_colors(self, field: Field) -> None:
        """Each colour is a hex code like #1f6feb."""
        bad = [c for c in _words(field.data) if not _is_hex_colour(c)]
        if bad:
            raise ValidationError(f"Use hex codes like #1f6feb (not {', '.join(bad[:3])}).")

    def answers(self) -> dict[str, Any]:
        return {
            "brandAssets": {
                "colors": [c.lower() for c in _words(self.colors.data)],
                "fonts": _words(self.fonts.data),
                "logoUrl": (self.logo_url.data or "").strip() or None,
            }
        }

    @staticmethod
    def prefill(inputs: dict[str, Any]) -> dict[str, Any]:
        assets = inputs.get("brandAssets") or {}
        return {
            "colors": _joined(assets.get("colors")),
            "fonts": _joined(assets.get("fonts")),
            "logo_url": assets.get("logoUrl") or "",
        }


def _is_hex_colour(value: str) -> bool:
    return len(value) == 7 and value[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in value[1:])


class DocumentsForm(StepForm):
    """Links to documents the agency should read (price lists, brand guidelines, brochures)."""

    links = TextAreaField("Document links", validators=[Optional(), Length(max=4000)])

    def validate_links(self, field: Field) -> None:
        """Every line is a web address, optionally preceded by a name and a bar: ``Price list | https://…``."""
        for number, (_, url) in enumerate(_document_lines(field.data), start=1):
            if not _is_http_url(url):
                raise ValidationError(
                    f"Line {number} is not a web address starting with http:// or https://."
                )

    def answers(self) -> dict[str, Any]:
        return {"documents": [{"name": name, "url": url} for name, url in _document_lines(self.links.data)]}

    @staticmethod
    def prefill(inputs: dict[str, Any]) -> dict[str, Any]:
        lines = []
        for document in inputs.get("documents") or []:
            if isinstance(document, dict) and document.get("url"):
                lines.append(
                    f"{document.get('name')} | {document['url']}" if document.get("name") else document["url"]
                )
        return {"links": "\n".join(lines)}


def _document_lines(text: str | None) -> list[tuple[str | None, str]]:
    lines = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, bar, url = line.rpartition("|")
        lines.append(((name.strip() or None) if bar else None, url.strip()))
    return lines


class BaselineForm(StepForm):
    """Where the tenant stands today: website, paid ads and social (each behind a yes/no), and leads."""

    has_website = BooleanField("We have a website with analytics")
    monthly_visitors = IntegerField("Monthly visitors", validators=_non_negative("Visitors"))
    organic_clicks = IntegerField("Organic clicks a month", validators=_non_negative("Clicks"))
    average_position = DecimalField(
        "Average search position",
        places=1,
        validators=[Optional(), NumberRange(min=1, max=100, message="Positions run from 1 to 100.")],
    )
    top_keywords = StringField("Top keywords", validators=[Optional(), Length(max=500)])

    has_paid = BooleanField("We run paid ads")
    googleAds_spend = DecimalField("Google Ads: monthly spend", validators=_non_negative("Spend"))
    googleAds_cpl = DecimalField("Google Ads: cost per lead", validators=_non_negative("Cost per lead"))
    googleAds_conversions = IntegerField(
        "Google Ads: conversions a month", validators=_non_negative("Conversions")
    )
    metaAds_spend = DecimalField("Meta Ads: monthly spend", validators=_non_negative("Spend"))
    metaAds_cpl = DecimalField("Meta Ads: cost per lead", validators=_non_negative("Cost per lead"))
    metaAds_conversions = IntegerField(
        "Meta Ads: conversions a month", validators=_non_negative("Conversions")
    )
    linkedinAds_spend = DecimalField("LinkedIn Ads: monthly spend", validators=_non_negative("Spend"))
    linkedinAds_cpl = DecimalField("LinkedIn Ads: cost per lead", validators=_non_negative("Cost per lead"))
    linkedinAds_conversions = IntegerField(
        "LinkedIn Ads: conversions a month", validators=_non_negative("Conversions")
    )

    has_social = BooleanField("We post on social networks")
    facebook_followers = IntegerField("Facebook: followers", validators=_non_negative("Followers"))
    facebook_engagement = DecimalField("Facebook: engagement rate (%)", validators=_percent())
    instagram_followers = IntegerField("Instagram: followers", validators=_non_negative("Followers"))
    instagram_engagement = DecimalField("Instagram: engagement rate (%)", validators=_percent())
    linkedin_followers = IntegerField("LinkedIn: followers", validators=_non_negative("Followers"))
    linkedin_engagement = DecimalField("LinkedIn: engagement rate (%)", validators=_percent())
    x_followers = IntegerField("X: followers", validators=_non_negative("Followers"))
    x_engagement = DecimalField("X: engagement rate (%)", validators=_percent())

    monthly_leads = IntegerField("Leads a month today", validators=_non_negative("Leads"))

    SECTIONS = {
        "has_website": ("monthly_visitors", "organic_clicks", "average_position", "top_keywords"),
        "has_paid": tuple(
            f"{key}_{part}" for key, _ in AD_PLATFORMS for part in ("spend", "cpl", "conversions")
        ),
        "has_social": tuple(
            f"{key}_{part}" for key, _ in SOCIAL_NETWORKS for part in ("followers", "engagement")
        ),
    }

    def validate(self, extra_validators=None) -> bool:
        """Fields of a section answered "no" are ignored, errors included (they are hidden)."""
        super().validate(extra_validators)
        for toggle, names in self.SECTIONS.items():
            if not self[toggle].data:
                for name in names:
                    self[name].errors = []
        return not any(field.errors for field in self)

    def answers(self) -> dict[str, Any]:
        baseline: dict[str, Any] = {"monthlyLeads": _number(self.monthly_leads.data)}
        baseline["website"] = (
            {
                "monthlyVisitors": _number(self.monthly_visitors.data),
                "organicClicks": _number(self.organic_clicks.data),
                "averagePosition": _number(self.average_position.data),
                "topKeywords": _words(self.top_keywords.data),
            }
            if self.has_website.data
            else None
        )
        baseline["paid"] = (
            self._figures(
                AD_PLATFORMS, {"monthlySpend": "spend", "costPerLead": "cpl", "conversions": "conversions"}
            )
            if self.has_paid.data
            else None
        )
        baseline["social"] = (
            self._figures(SOCIAL_NETWORKS, {"followers": "followers", "engagementRate": "engagement"})
            if self.has_social.data
            else None
        )
        return {"baseline": baseline}

    def _figures(self, choices, figures: dict[str, str]) -> dict[str, dict[str, Any]]:
        """Per platform of ``choices`` with any figure typed, its figures (answer name → field suffix)."""
        return {
            key: {name: _number(self[f"{key}_{suffix}"].data) for name, suffix in figures.items()}
            for key, _ in choices
            if any(self[f"{key}_{suffix}"].data is not None for suffix in figures.values())
        }

    @staticmethod
    def prefill(inputs: dict[str, Any]) -> dict[str, Any]:
        baseline = inputs.get("baseline") or {}
        website, paid, social = baseline.get("website"), baseline.get("paid"), baseline.get("social")
        data: dict[str, Any] = {
            "monthly_leads": baseline.get("monthlyLeads"),
            "has_website": bool(website),
            "has_paid": bool(paid),
            "has_social": bool(social),
        }
        if website:
            data |= {
                "monthly_visitors": website.get("monthlyVisitors"),
                "organic_clicks": website.get("organicClicks"),
                "average_position": _decimal(website.get("averagePosition")),
                "top_keywords": _joined(website.get("topKeywords")),
            }
        for key, _ in AD_PLATFORMS:
            platform = (paid or {}).get(key) or {}
            data |= {
                f"{key}_spend": _decimal(platform.get("monthlySpend")),
                f"{key}_cpl": _decimal(platform.get("costPerLead")),
                f"{key}_conversions": platform.get("conversions"),
            }
        for key, _ in SOCIAL_NETWORKS:
            network = (social or {}).get(key) or {}
            data |= {
                f"{key}_followers": network.get("followers"),
                f"{key}_engagement": _decimal(network.get("engagementRate")),
            }
        return data


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


FLEXIBILITY = [
    ("fixed", "Fixed: never above it"),
    ("moderate", "Moderate: up to 10% over in a good month"),
    ("flexible", "Flexible: spend more when it pays"),
]
HORIZONS = [("3", "3 months"), ("6", "6 months"), ("12", "12 months")]


class BudgetForm(StepForm):
    """The monthly marketing budget, how flexible it is, and the horizon of the plan."""

    monthly = DecimalField("Monthly budget", places=2, validators=_non_negative("The budget"))
    flexibility = SelectField(
        "Flexibility", choices=[SelectChoice(k, v) for k, v in FLEXIBILITY], default="moderate"
    )
    horizon = SelectField("Horizon", choices=[SelectChoice(k, v) for k, v in HORIZONS], default="6")

    def answers(self) -> dict[str, Any]:
        return {
            "budget": {
                "monthly": _number(self.monthly.data),
                "flexibility": self.flexibility.data,
                "horizonMonths": int(self.horizon.data),
            }
        }

    @staticmethod
    def prefill(inputs: dict[str, Any]) -> dict[str, Any]:
        budget = inputs.get("budget") or {}
        horizon = str(budget.get("horizonMonths") or "6")
        return {
            "monthly": _decimal(budget.get("monthly")),
            "flexibility": budget.get("flexibility")
            if budget.get("flexibility") in dict(FLEXIBILITY)
            else "moderate",
            "horizon": horizon if horizon in dict(HORIZONS) else "6",
        }


class LaunchForm(FlaskForm):
    """Launching the onboarding (a CSRF token only)."""


class ApproveForm(FlaskForm):
    """Approving the context file, with an optional note."""

    notes = TextAreaField("Note for the agency (optional)", validators=[Optional(), Length(max=2000)])


class RevisionForm(FlaskForm):
    """Asking for a revision of the context file: what to change is required."""

    notes = TextAreaField(
        "What should change?",
        validators=[DataRequired(message="Tell the agency what to change."), Length(max=4000)],
    )


STEP_FORMS: dict[str, type[StepForm]] = {
    "channels": ChannelsForm,
    "brand_voice": BrandVoiceForm,
    "brand_assets": BrandAssetsForm,
    "documents": DocumentsForm,
    "baseline": BaselineForm,
    "budget": BudgetForm,
}
