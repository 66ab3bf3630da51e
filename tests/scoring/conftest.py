"""Service tests read messages in English (the message ids); pages are tested in Vietnamese."""

from __future__ import annotations

import pytest


@pytest.fixture
def english(app):
    from flask_babel import force_locale

    with force_locale("en"):
        yield
