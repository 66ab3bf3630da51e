"""The page for an unknown unit code: what was asked, units that look like it, the search."""

from __future__ import annotations

from flask import render_template

from emulation.extensions import db
from emulation.leaderboards import queries, unit_queries
from emulation.text import fold

SUGGESTIONS = 10


def render_no_such_unit(code: str) -> str:
    """Suggest units whose name contains the words of the address (/don-vi/cua-nam)."""
    words = " ".join(code.replace("-", " ").replace("_", " ").split())
    suggestions: list = []
    if fold(words):
        suggestions, _total = unit_queries.search_units(db.session, words, per_page=SUGGESTIONS)
    return render_template(
        "public/no_such_unit.html",
        code=code,
        words=words,
        suggestions=suggestions,
        provinces=unit_queries.province_names(db.session, suggestions),
        period=queries.featured_period(db.session),
    )
