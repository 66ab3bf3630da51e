"""Form pieces every feature shares: Vietnam's today, the dd/mm/yyyy date field, the
one-button confirm form, select choices and the hidden version of an edited row."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.fields.choices import SelectChoice

from emulation.errors import Conflict

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def today() -> date:
    """Today's date in Vietnam (the server may run in UTC)."""
    return datetime.now(VIETNAM).date()


def to_utc(local: datetime) -> datetime:
    return local.replace(tzinfo=VIETNAM).astimezone(UTC).replace(tzinfo=None)


def to_vietnam(utc: datetime) -> datetime:
    return utc.replace(tzinfo=UTC).astimezone(VIETNAM).replace(tzinfo=None)


class DateField(StringField):
    """A date typed dd/mm/yyyy. Empty gives None, or Vietnam's today with `empty_is_today`."""

    def __init__(self, label=None, validators=None, *, empty_is_today: bool = False, **kwargs):
        self.empty_is_today = empty_is_today
        if empty_is_today:
            kwargs.setdefault("default", today)
        super().__init__(label, validators, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%d/%m/%Y") if self.data else ""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.raw_data = [text]
        self.data = today() if self.empty_is_today else None
        if not text:
            return
        try:
            self.data = datetime.strptime(text, "%d/%m/%Y").date()
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a date as dd/mm/yyyy.")) from None


class ConfirmForm(FlaskForm):
    """A bare form carrying only the CSRF token, for one-button actions."""


def choices(pairs) -> list[SelectChoice]:
    """WTForms 3.3+ wants SelectChoice objects rather than (value, label) tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


def version_of(form) -> int:
    """The row version the form was rendered with (its hidden `version` field).

    A form posted without one is refused, never saved unchecked (it could overwrite a change
    the editor never saw). Read from what was posted: a form built with `obj=` fills a
    missing field with the object's current version."""
    raw = str(form.version.raw_data[0]) if form.version.raw_data else ""
    if not raw.isdigit():
        raise Conflict(_("This form came without its version. Reload the page and try again."))
    return int(raw)
