"""Assessments tests read English messages unless a test asks for Vietnamese."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english(request):
    if "app" not in request.fixturenames:
        yield
        return
    from flask_babel import force_locale

    request.getfixturevalue("app")
    with force_locale("en"):
        yield
