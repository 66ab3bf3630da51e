"""Forms of the self-assessment: one criterion's value, submit, extension, period filter.

No upload form: evidence_views.upload_evidence reads `file` or `photo` (the camera input) from
request.files itself and answers an upload over the size limit with its own 413 message."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from emulation.campaigns.forms import VnDateTimeField


class ScoreForm(FlaskForm):
    """One criterion, posted on every change. The value is parsed per kind by the view."""

    value = StringField(_l("Value"), validators=[Optional(), Length(max=40)])
    note = TextAreaField(_l("Justification"), validators=[Optional()])
    version = IntegerField(validators=[Optional()])


class SubmitForm(FlaskForm):
    version = HiddenField()
    explanation = TextAreaField(
        _l("Your answer to the board (what you changed)"),
        validators=[Optional(), Length(max=4000)],
    )


class ExtendForm(FlaskForm):
    until = VnDateTimeField(_l("New deadline (Vietnam time)"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class PeriodFilterForm(FlaskForm):
    class Meta:
        csrf = False

    period = SelectField(_l("Evaluation period"), coerce=int, validators=[Optional()])
    q = StringField(_l("Unit"), validators=[Optional(), Length(max=100)])
