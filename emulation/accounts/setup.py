"""Bind the accounts machinery to an app: rate limits, session gates, denial auditing."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from emulation.accounts import sessions, throttle

    throttle.init_app(app)
    sessions.init_app(app)
