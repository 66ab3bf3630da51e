"""Forms for campaigns, periods, criteria and classification rules.

Dates are typed dd/mm/yyyy and times in Vietnam time; they are stored as naive UTC.
Points are typed like 12,5 or 12.5 and kept in hundredths."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
)

from emulation.campaigns.campaign_services import CampaignInput
from emulation.campaigns.criteria import CriterionInput
from emulation.campaigns.models import CriterionKind, PeriodKind
from emulation.campaigns.services import PeriodInput
from emulation.campaigns.validation import CODE_RE
from emulation.db import format_points, parse_points
from emulation.forms import DateField, to_utc, to_vietnam


class VnDateTimeField(StringField):
    """dd/mm/yyyy hh:mm in Vietnam time; `data` is naive UTC."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return to_vietnam(self.data).strftime("%d/%m/%Y %H:%M") if self.data else ""

    def process_formdata(self, valuelist):
        text = " ".join((valuelist[0] if valuelist else "").split())
        self.data = None
        if not text:
            return
        for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y"):
            try:
                self.data = to_utc(datetime.strptime(text, pattern))
                return
            except ValueError:
                continue
        raise ValueError(_l("Enter a date and time as dd/mm/yyyy hh:mm."))


class PointsField(StringField):
    """Points typed with a comma or a dot, kept in hundredths (None when empty)."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format_points(self.data, "vi").replace("−", "-")

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        try:
            self.data = parse_points(text)
        except ValueError:
            raise ValueError(_l("Enter a number with at most two decimals, e.g. 12,5.")) from None


def points_required(form, field) -> None:
    """InputRequired lets a blank " " through, which PointsField reads as no number."""
    if field.data is None and not field.errors:
        raise StopValidation(_l("This field is required."))


def _kind_choices(table: dict) -> list[tuple[str, str]]:
    return [(str(key), label) for key, label in table.items()]


class CampaignForm(FlaskForm):
    slug = StringField(
        _l("Short name (in addresses)"),
        validators=[DataRequired(), Length(max=80), Regexp(r"^[a-z0-9][a-z0-9-]*$")],
        description=_l("Lower-case letters, digits and dashes."),
    )
    name_vi = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=300)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=300)])
    description_vi = TextAreaField(_l("Description (Vietnamese)"), validators=[Optional()])
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional()])
    starts_on = DateField(_l("Starts on"), validators=[DataRequired()])
    version = HiddenField()

    def to_input(self) -> CampaignInput:
        return CampaignInput(
            slug=self.slug.data.strip(),
            name_vi=self.name_vi.data.strip(),
            name_en=self.name_en.data.strip(),
            starts_on=self.starts_on.data,
            description_vi=(self.description_vi.data or "").strip(),
            description_en=(self.description_en.data or "").strip(),
        )


class PeriodForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=40), Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")],
        description=_l("Short and unique within the campaign, e.g. 2026-H1."),
    )
    name_vi = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[])
    starts_on = DateField(_l("Starts on"), validators=[DataRequired()])
    ends_on = DateField(_l("Ends on"), validators=[DataRequired()])
    self_assessment_opens_at = VnDateTimeField(_l("Self-assessment opens"))
    self_assessment_closes_at = VnDateTimeField(_l("Self-assessment closes"))
    scoring_opens_at = VnDateTimeField(_l("Board scoring opens"))
    scoring_closes_at = VnDateTimeField(_l("Board scoring closes"))
    based_on = SelectField(_l("Criteria and rules"), choices=[], validate_choice=True)
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        from emulation.labels import PERIOD_KIND

        super().__init__(*args, **kwargs)
        self.kind.choices = _kind_choices(PERIOD_KIND)

    def to_input(self) -> PeriodInput:
        return PeriodInput(
            code=self.code.data.strip(),
            name_vi=self.name_vi.data.strip(),
            name_en=self.name_en.data.strip(),
            kind=PeriodKind(self.kind.data),
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            self_assessment_opens_at=self.self_assessment_opens_at.data,
            self_assessment_closes_at=self.self_assessment_closes_at.data,
            scoring_opens_at=self.scoring_opens_at.data,
            scoring_closes_at=self.scoring_closes_at.data,
        )


class TransitionForm(FlaskForm):
    to = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=1000)])
    version = HiddenField()


class ExtendWindowForm(FlaskForm):
    window = SelectField(_l("Window"), choices=[])
    new_value = VnDateTimeField(_l("New time (Vietnam time)"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.window.choices = [
            ("self_assessment_closes_at", _l("Self-assessment closes")),
            ("scoring_opens_at", _l("Board scoring opens")),
            ("scoring_closes_at", _l("Board scoring closes")),
        ]


# What the default criteria set uses (DOMAIN.md): reaching the target earns 80% of the maximum.
DEFAULT_TARGET_SHARE = 80


class CriterionForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=20), Regexp(CODE_RE.pattern)],
        description=_l("Unique in the period, e.g. 2.3 or B1."),
    )
    parent = SelectField(_l("Inside group"), choices=[])
    kind = SelectField(_l("Kind"), choices=[])
    title_vi = StringField(_l("Title (Vietnamese)"), validators=[DataRequired(), Length(max=500)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=500)])
    guidance_vi = TextAreaField(_l("Guidance (Vietnamese)"), validators=[Optional()])
    guidance_en = TextAreaField(_l("Guidance (English)"), validators=[Optional()])
    max_points = PointsField(
        _l("Maximum points"), description=_l("For bonus and penalty items: the cap.")
    )
    min_points = PointsField(_l("Minimum points"))
    points_per_item = PointsField(_l("Points per item"))
    target = PointsField(_l("Target"))
    target_share_percent = IntegerField(
        _l("Share of the maximum earned at the target (%)"),
        default=DEFAULT_TARGET_SHARE,
        validators=[Optional(), NumberRange(1, 100)],
    )
    higher_is_better = BooleanField(_l("A higher value is better"), default=True)
    measure_unit = StringField(_l("Unit of measure"), validators=[Optional(), Length(max=40)])
    evidence_required = BooleanField(_l("Evidence required"))
    justification_required = BooleanField(_l("Justification required"))
    weight_percent = IntegerField(
        _l("Weight (%)"), default=100, validators=[Optional(), NumberRange(1, 100)]
    )
    version = HiddenField()

    def __init__(self, *args, groups=(), **kwargs):
        from emulation.labels import CRITERION_KIND

        super().__init__(*args, **kwargs)
        self.kind.choices = _kind_choices(CRITERION_KIND)
        self.parent.choices = [("", _l("— top level —"))] + [
            (str(g.id), f"{g.code} · {g.title_vi}") for g in groups
        ]

    def validate(self, extra_validators=None) -> bool:
        """The fields a quantitative criterion needs, each error shown beside its field
        (Optional() stops the chain on an empty field, so this runs after it)."""
        valid = super().validate(extra_validators)
        if not self._quantitative():
            return valid
        if not self.target.errors and (self.target.data is None or self.target.data <= 0):
            self.target.errors.append(_l("A quantitative criterion needs a target above 0."))
            valid = False
        share = self.target_share_percent
        if not share.errors and share.data is None:
            share.errors.append(
                _l("Give the share of the maximum earned at the target, from 1 to 100.")
            )
            valid = False
        return valid

    def _quantitative(self) -> bool:
        return self.kind.data == str(CriterionKind.QUANTITATIVE)

    def to_input(self) -> CriterionInput:
        return CriterionInput(
            code=self.code.data,
            kind=CriterionKind(self.kind.data),
            title_vi=self.title_vi.data or "",
            title_en=self.title_en.data or "",
            guidance_vi=self.guidance_vi.data or "",
            guidance_en=self.guidance_en.data or "",
            max_points=self.max_points.data or 0,
            min_points=self.min_points.data or 0,
            points_per_item=self.points_per_item.data,
            target=self.target.data,
            target_share_percent=self.target_share_percent.data,
            higher_is_better=bool(self.higher_is_better.data),
            measure_unit=self.measure_unit.data or "",
            evidence_required=bool(self.evidence_required.data),
            justification_required=bool(self.justification_required.data),
            weight_percent=self.weight_percent.data or 100,
        )


class CopyCriteriaForm(FlaskForm):
    source = SelectField(_l("Copy from period"), choices=[], validators=[DataRequired()])
    replace = BooleanField(_l("Replace the criteria this period already has"))


class ImportCriteriaForm(FlaskForm):
    file = FileField(
        _l("Spreadsheet (.xlsx)"),
        validators=[FileRequired(), FileAllowed(["xlsx"], _l("Choose an .xlsx file."))],
    )
    replace = BooleanField(_l("Replace the criteria this period already has"))


class RulesForm(FlaskForm):
    band_excellent = PointsField(_l("Excellent from (points)"), validators=[points_required])
    band_good = PointsField(_l("Good from (points)"), validators=[points_required])
    band_completed = PointsField(_l("Completed from (points)"), validators=[points_required])
    excellent_cap_percent = IntegerField(
        _l("Cap on “excellent” (% of those rated good or better)"),
        validators=[Optional()],
        description=_l("Leave empty for no cap. Guidance suggests 20%."),
    )
    aggregation = SelectField(
        _l("Combining the board members' scores"),
        choices=[],
        description=_l("Exact, never rounded before the total."),
    )
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        from emulation.labels import AGGREGATION

        super().__init__(*args, **kwargs)
        self.aggregation.choices = [(key.value, label) for key, label in AGGREGATION.items()]
