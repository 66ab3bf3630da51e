"""WTForms' own messages ("This field is required." …) in the interface language.

WTForms ships no Vietnamese catalog, so its English messages are message ids of ours: listed
below for extraction, translated in `translations/vi/src/forms.po`, and handed to every form
through the `Meta.get_translations` hook of Flask-WTF's FlaskForm."""

from __future__ import annotations

import re

from flask import Flask, abort, has_request_context, request
from flask_babel import get_translations, gettext, lazy_ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

# Marked for extraction only (WTForms looks them up by their English text).
MESSAGES = (
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Field must be equal to %(other_name)s."),
    lazy_ngettext(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    ),
    lazy_ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    ),
    lazy_ngettext(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
        1,
    ),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("Invalid value, can't be any of: %(values)s."),
    _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."),
    _l("Invalid CSRF Token."),
    _l("CSRF token missing."),
    _l("CSRF failed."),
    _l("CSRF token expired."),
    _l("Invalid Choice: could not coerce."),
    _l("Not a valid choice."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    lazy_ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    ),
    _l("Not a valid datetime value."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    # Flask-WTF's file validators
    _l("File does not have an approved extension: {extensions}"),
    _l("File must be between {min_size} and {max_size} bytes."),
)


class BabelTranslations:
    """The gettext interface WTForms expects, answered by the app's catalog.

    No `%` formatting here: WTForms fills the placeholders itself afterwards."""

    def gettext(self, string: str) -> str:
        if not has_request_context():
            return string
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if not has_request_context():
            return singular if n == 1 else plural
        return get_translations().ungettext(singular, plural, n)


TRANSLATIONS = BabelTranslations()


def _get_translations(meta, form) -> BabelTranslations:
    return TRANSLATIONS


def install() -> None:
    """Every FlaskForm takes WTForms' default messages from our catalogue (Flask-WTF would
    look for WTForms' own catalogues, which have no Vietnamese)."""
    FlaskForm.Meta.get_translations = _get_translations


def init_app(app: Flask) -> None:
    install()
    app.before_request(refuse_untypable_text)


# What nobody types: C0 controls but tab and line breaks, DEL, C1 controls, and U+FFFD (what
# Werkzeug makes of bytes that are not UTF-8). PostgreSQL refuses NUL with an error (a 500).
UNTYPABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")


def refuse_untypable_text() -> None:
    """Refuse a query or posted form carrying control characters or broken text, before any
    view reads it: one clear message instead of garbage (or a database error) in a record
    or a search. Uploads check their files themselves; filenames are cleaned on storage."""
    fields = [request.args]
    if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
        fields.append(request.form)
    for key, values in (pair for multidict in fields for pair in multidict.lists()):
        if UNTYPABLE.search(key) or any(UNTYPABLE.search(value) for value in values):
            abort(
                422,
                description=gettext(
                    "Some of the text you sent contains control characters or broken "
                    "(non-UTF-8) characters. Go back, type or paste it again as plain text, "
                    "and send it again."
                ),
            )
