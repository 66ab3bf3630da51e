"""The audit page's filter (a GET form: no CSRF token, the URL is shareable)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from emulation.forms import DateField


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    unit = StringField(_l("Unit code"), validators=[Optional(), Length(max=40)])
    user = StringField(_l("User"), validators=[Optional(), Length(max=80)])
    period = SelectField(_l("Period"), choices=[], validate_choice=True, validators=[Optional()])
    action = StringField(_l("Action"), validators=[Optional(), Length(max=80)])
    since = DateField(_l("From"))
    until = DateField(_l("To"))

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))
