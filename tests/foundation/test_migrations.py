"""The migrations build the schema from nothing and match the models exactly."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from emulation.extensions import db
from tests.conftest import PG_URL, _fresh_postgres_database


@pytest.fixture
def empty_database_url(tmp_path):
    if PG_URL:
        url, drop = _fresh_postgres_database(PG_URL)
        yield url
        drop()
    else:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"


def _run(app, *args):
    result = app.test_cli_runner().invoke(args=["db", *args])
    return result.exit_code, f"{result.output}\n{result.exception!r}"


def test_upgrade_from_empty_then_models_match(make_app, empty_database_url):
    app = make_app(SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        code, output = _run(app, "upgrade")
        assert code == 0, output
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        code, output = _run(app, "check")
        assert code == 0, output
        db.engine.dispose()


def test_downgrade_to_base_and_back(make_app, empty_database_url):
    app = make_app(SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        assert _run(app, "upgrade")[0] == 0
        code, output = _run(app, "downgrade", "base")
        assert code == 0, output
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        assert _run(app, "upgrade")[0] == 0
        db.engine.dispose()
