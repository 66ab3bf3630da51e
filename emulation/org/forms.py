"""Forms of the unit registry and clusters. Units are named by their official code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from emulation.forms import DateField, choices
from emulation.org.models import UnitKind


def split_codes(text: str) -> list[str]:
    return [c for c in (text or "").replace(",", " ").replace(";", " ").split() if c]


def kind_choices():
    from emulation.labels import unit_kind_label

    return choices((k.value, unit_kind_label(k)) for k in UnitKind if k is not UnitKind.MINISTRY)


class ImportUnitsForm(FlaskForm):
    file = FileField(
        _l("Unit list (.csv or .xlsx)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file.")),
        ],
    )
    scope = SelectField(
        _l("The list covers"),
        description=_l("Units of this subtree that are missing from the file will be retired."),
    )


class ApplyImportForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    fingerprint = HiddenField(validators=[DataRequired()])
    # Only asked when the import retires many units (SyncPlan.large_retirement).
    confirm_retirements = StringField(
        _l("Number of units to retire"),
        validators=[Optional(), Length(max=12)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )

    def confirmed_retirements(self) -> int | None:
        typed = "".join((self.confirm_retirements.data or "").split()).replace(".", "")
        return int(typed) if typed.isdigit() else None


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or code"), validators=[Optional(), Length(max=100)])


class RenameUnitForm(FlaskForm):
    name = StringField(_l("New name"), validators=[DataRequired(), Length(max=200)])


class MoveUnitForm(FlaskForm):
    parent_code = StringField(_l("Code of the new parent unit"), validators=[DataRequired()])


class RetireUnitForm(FlaskForm):
    on = DateField(_l("Retired on (dd/mm/yyyy)"), empty_is_today=True)


class NewUnitForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = kind_choices()


class MergeUnitsForm(FlaskForm):
    sources = TextAreaField(
        _l("Codes of the old units"),
        validators=[DataRequired()],
        description=_l("Separated by spaces, commas or new lines."),
    )
    target_code = StringField(
        _l("Code of the unit they merge into"),
        description=_l("An existing unit, or a new code (then give its name, kind and parent)."),
        validators=[DataRequired(), Length(max=20)],
    )
    new_name = StringField(_l("Name of the new unit"), validators=[Optional(), Length(max=200)])
    new_kind = SelectField(_l("Kind of the new unit"))
    new_parent_code = StringField(_l("Parent code of the new unit"), validators=[Optional()])
    on = DateField(_l("Merged on (dd/mm/yyyy)"), empty_is_today=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_kind.choices = kind_choices()

    def validate_sources(self, field) -> None:
        if not split_codes(field.data):
            raise ValidationError(_l("Give at least one code."))


class ClusterForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    owner = SelectField(_l("Defined under"), validators=[Optional()])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ClusterMembersForm(FlaskForm):
    units = MultiCheckboxField(_l("Members"), coerce=int, validate_choice=False)
