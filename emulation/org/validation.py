"""The rules a unit's code and name follow, shared by the web forms, the services and the
imports, so a row the form would refuse is never let in through a file."""

from __future__ import annotations

import re

from flask_babel import gettext as _

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_NAME = 200


def code_problem(code: str) -> str | None:
    """Why `code` cannot be a unit code (1–20 letters, digits, '.', '-', '_'), or None."""
    if CODE_RE.fullmatch(code):
        return None
    return _("The code must be 1 to 20 letters without accents, digits, dots, - or _.")


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a unit name, or None."""
    if not name.strip():
        return _("The name is empty.")
    if len(name) > MAX_NAME:
        return _("The name is longer than %(n)d characters.", n=MAX_NAME)
    if CONTROL_RE.search(name):
        return _("The name contains control characters.")
    return None
