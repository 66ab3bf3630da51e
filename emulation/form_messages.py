"""WTForms' built-in messages ("This field is required.") in the user's language.

WTForms ships no Vietnamese catalogue, so a blank or out-of-range field answered in English.
`install()` makes every form look its validators' default messages up in our own catalogue;
`_markers` lists them so `scripts/i18n.py` extracts them (translations in core.po)."""

from __future__ import annotations

from flask_babel import get_translations, ngettext
from flask_babel import gettext as _
from flask_wtf import FlaskForm


class _OurCatalogue:
    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


_CATALOGUE = _OurCatalogue()


def install() -> None:
    """Every FlaskForm takes WTForms' default messages from our catalogue."""
    FlaskForm.Meta.get_translations = lambda self, form: _CATALOGUE


def _markers() -> None:  # never called: read by the message extractor only
    _("This field is required.")
    _("Invalid input.")
    _("Invalid email address.")
    _("Not a valid choice.")
    _("Not a valid integer value.")
    _("Not a valid decimal value.")
    _("Not a valid float value.")
    _("Not a valid date value.")
    _("Not a valid datetime value.")
    _("Number must be at least %(min)s.")
    _("Number must be at most %(max)s.")
    _("Number must be between %(min)s and %(max)s.")
    _("Field must be between %(min)d and %(max)d characters long.")
    _("Field must be equal to %(other_name)s.")
    ngettext(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    )
    ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    )
    ngettext(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
        1,
    )
