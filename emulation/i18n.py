"""Locale choice (Vietnamese unless the visitor picks English) and template filters."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, request, session, url_for
from flask_babel import format_date, format_datetime, get_locale

from emulation.db import format_points, format_score, format_signed_points
from emulation.extensions import babel
from emulation.spell import in_words


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
        return chosen
    stored = session.get("lang")
    if stored in languages:
        return stored
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "vi"


def points_filter(points: int | None) -> str:
    return format_points(points, current_locale())


def signed_points_filter(points: int | None) -> str:
    return format_signed_points(points, current_locale())


def date_filter(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_date(value, "dd/MM/yyyy")
    return value.strftime("%d/%m/%Y")


def datetime_filter(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value, "dd/MM/yyyy HH:mm")


def switch_language_url(code: str) -> str:
    """The current page in another language."""
    args = request.args.to_dict()
    args["lang"] = code
    if request.endpoint is None:
        return url_for("public.home", lang=code)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    from emulation import form_messages

    form_messages.init_app(app)  # WTForms' messages translated; untypable text refused
    app.jinja_env.filters["points"] = points_filter
    app.jinja_env.filters["signed_points"] = signed_points_filter
    app.jinja_env.filters["in_words"] = lambda n: in_words(n, current_locale())
    app.jinja_env.filters["score"] = lambda points: format_score(points, current_locale())
    app.jinja_env.globals["format_score"] = format_score
    app.jinja_env.filters["ddmmyyyy"] = date_filter
    app.jinja_env.filters["when"] = datetime_filter
    app.jinja_env.globals["current_locale"] = current_locale
    app.jinja_env.globals["switch_language_url"] = switch_language_url
