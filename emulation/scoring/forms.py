"""Forms of the board setup: the board, its members, the assignment, conflict overrides."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from emulation.scoring.models import AssignmentMode


class BoardForm(FlaskForm):
    period = SelectField(_l("Evaluation period"), coerce=int)
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    scope = SelectField(
        _l("Scope"),
        description=_l("A unit (all competing units below it) or an emulation cluster."),
    )


class MemberForm(FlaskForm):
    user = SelectField(_l("Member"), coerce=int)


class AssignForm(FlaskForm):
    mode = RadioField(
        _l("Who scores which unit"),
        choices=[
            SelectChoice(AssignmentMode.ALL.value, _l("Every member scores every unit")),
            SelectChoice(AssignmentMode.BALANCED.value, _l("Balanced split")),
        ],
        default=AssignmentMode.ALL.value,
    )
    scorers_per_unit = IntegerField(
        _l("Scorers per unit (balanced split)"),
        validators=[Optional(), NumberRange(min=1, max=50)],
    )


class OverrideForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for assigning despite the conflict"),
        validators=[DataRequired(), Length(min=10, max=1000)],
    )
