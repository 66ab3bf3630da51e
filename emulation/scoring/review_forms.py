"""Forms of the chair's and the unit head's pages (board review, explanations, vetoes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(min=5, max=2000)])


class ExplanationForm(FlaskForm):
    deadline = DateField(_l("Answer by (end of the day)"), validators=[InputRequired()])
    message = TextAreaField(_l("Message to the unit"), validators=[Length(max=2000)])


class VetoForm(FlaskForm):
    vetoed = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("1", _l("Veto: the unit is not completed")),
            SelectChoice("0", _l("No veto")),
        ],
        validators=[InputRequired()],
    )
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(min=10, max=2000)])


class ConfirmForm(FlaskForm):
    pass


class AnswerForm(FlaskForm):
    version = HiddenField()


class ThresholdForm(FlaskForm):
    comment_threshold_percent = IntegerField(
        _l("Comment required above (% of the criterion's max)"),
        validators=[InputRequired(), NumberRange(min=0, max=100)],
    )
