"""The emulation platform: `create_app()` builds the Flask app with no side effects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from config import Config, config_from_env

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type[Config] | dict[str, Any] | None = None) -> Flask:
    """Bind extensions, blueprints, error handlers and CLI commands.

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
    _register_blueprints(app)

    from emulation import errors_web, i18n, labels, nav, security

    i18n.init_app(app)
    labels.init_app(app)
    nav.init_app(app)
    security.init_app(app)
    errors_web.init_app(app)

    from emulation.accounts import setup as accounts_setup

    accounts_setup.init_app(app)  # login rate limits (Flask-Limiter), session gates

    from emulation.cli import register_cli

    register_cli(app)
    return app


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


# Blueprint modules, each exposing `bp`. Features add one line here.
BLUEPRINT_MODULES = [
    "emulation.public.views",
    "emulation.accounts.views",
    "emulation.api.views",
    "emulation.campaigns.views",
    "emulation.admin.views",
    "emulation.admin.users",
    "emulation.org.views",
    "emulation.scoring.views",
    "emulation.scoring.sheet_views",
    "emulation.scoring.chair_views",
    "emulation.scoring.unit_views",
    "emulation.assessments.views",
]


def _register_blueprints(app: Flask) -> None:
    import importlib

    for module_name in BLUEPRINT_MODULES:
        module = importlib.import_module(module_name)
        app.register_blueprint(module.bp)
