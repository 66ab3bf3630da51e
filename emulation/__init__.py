"""The emulation platform: `create_app()` builds the Flask app with no side effects."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

from flask import Flask

from config import Config, config_from_env

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type[Config] | dict[str, Any] | None = None) -> Flask:
    """Bind extensions, error handlers, then every feature package (`features()`).

    Creates no tables, runs no migrations and starts no scheduler."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    if isinstance(config, dict):
        app.config.from_object(config_from_env())
        app.config.update(config)
    else:
        app.config.from_object(config or config_from_env())

    _init_database(app)
    _init_extensions(app)

    from emulation import cli, errors_web, i18n, nav, security

    for core in (i18n, nav, security, errors_web, cli):
        core.init_app(app)
    for feature in features():
        feature.init_app(app)  # blueprint, CLI commands, menu entries, admin cards, labels
    return app


def features() -> list[ModuleType]:
    """The feature packages, in menu order. A new feature adds its package here and gives
    it an `init_app(app)` (see emulation/org/__init__.py for the pattern)."""
    from emulation import accounts, admin, api, audit, campaigns, leaderboards, org, public, scoring

    return [public, accounts, api, campaigns, admin, org, scoring, leaderboards, audit]


def _init_database(app: Flask) -> None:
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options.pop("pool_pre_ping", None)
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", 30)
        options["connect_args"] = connect_args
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _init_extensions(app: Flask) -> None:
    from emulation import models  # noqa: F401  (register every mapper)
    from emulation.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            from emulation.sqlite import install_pragmas

            install_pragmas(db.engine)
