"""Per-row display pieces of the leaderboard tables (classification badge, movement arrow),
built once per language instead of through the translation machinery on every row.

A 100-row page used to make 800 gettext lookups for the badges alone (40% of its render
time); these return ready HTML from a small per-language table."""

from __future__ import annotations

from flask_babel import gettext, pgettext
from markupsafe import Markup, escape

from emulation.db import format_points
from emulation.i18n import current_locale

CLASSIFICATIONS = ("excellent", "good", "completed", "not_completed")
_BADGES: dict[str, dict[str, Markup]] = {}
_MOVES: dict[str, dict[str, str]] = {}


def _badge(value: str, label: str, short: str) -> Markup:
    return Markup(
        '<span class="badge badge-{v}" title="{l}"><span class="d-none d-lg-inline">{l}</span>'
        '<span class="d-lg-none">{s}</span></span>'
    ).format(v=value, l=label, s=short)


def _badges() -> dict[str, Markup]:
    labels = {
        "excellent": (gettext("Excellent"), pgettext("short", "Excellent")),
        "good": (gettext("Good"), pgettext("short", "Good")),
        "completed": (gettext("Completed"), pgettext("short", "Completed")),
        "not_completed": (gettext("Not completed"), pgettext("short", "Not completed")),
    }
    return {value: _badge(value, *pair) for value, pair in labels.items()}


def classification_badge_html(value) -> Markup:
    """The badge of a classification (long label on wide screens, short on phones)."""
    locale = current_locale()
    badges = _BADGES.get(locale)
    if badges is None:
        badges = _BADGES[locale] = _badges()
    key = "" if value is None else str(value)
    return badges.get(key) or _badge(key, key, key)


def _moves() -> dict[str, str]:
    # Without arguments gettext returns the translated pattern, filled in per row below.
    return {
        "new": gettext("New"),
        "up": gettext("Up %(n)d"),
        "down": gettext("Down %(n)d"),
        "same": gettext("No change"),
    }


# Every glyph drawn for a movement: each must exist in the page's fonts (the fullwidth "＝"
# drew an empty box in Debian's Chromium); tests/e2e checks them in the browser.
MOVE_GLYPHS = {"new": "•", "up": "▲", "down": "▼", "same": "="}


def movement_html(rank: int, previous: int | None) -> Markup:
    """▲ / ▼ with the number of places moved, • for a new entry, = for no change."""
    locale = current_locale()
    words = _MOVES.get(locale)
    if words is None:
        words = _MOVES[locale] = _moves()
    if previous is None:
        return _move("move-same", words["new"], MOVE_GLYPHS["new"])
    if previous > rank:
        n = previous - rank
        return _move("move-up", words["up"] % {"n": n}, f"{MOVE_GLYPHS['up']} {n}")
    if previous < rank:
        n = rank - previous
        return _move("move-down", words["down"] % {"n": n}, f"{MOVE_GLYPHS['down']} {n}")
    return _move("move-same", words["same"], MOVE_GLYPHS["same"])


def _move(css: str, title: str, text: str) -> Markup:
    return Markup(f'<span class="{css}" title="{escape(title)}">{text}</span>')


def register(app) -> None:
    # format_points(value, loc): the `points` filter without a locale lookup per cell.
    app.jinja_env.globals.update(
        classification_badge_html=classification_badge_html,
        movement_html=movement_html,
        format_points=format_points,
    )
