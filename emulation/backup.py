"""`flask backup create|restore`: a consistent copy of the whole database, and back again.

SQLite uses its online backup API (a consistent copy while the app keeps running); PostgreSQL
uses `pg_dump --format=custom` and `pg_restore --clean --if-exists --single-transaction`.
Evidence files live outside the database (EVIDENCE_DIR): back them up alongside (see
docs/DEPLOYMENT.md). After a restore the audit chain is verified."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from emulation.extensions import db

backup_cli = AppGroup("backup", help="Back up and restore the whole database.")


class BackupError(Exception):
    pass


# --- SQLite ---------------------------------------------------------------------------------
def _sqlite_create(engine: Engine, target: Path) -> None:
    raw = engine.raw_connection()
    try:
        with sqlite3.connect(target) as copy:
            raw.driver_connection.backup(copy)
        copy.close()
    finally:
        raw.close()


def _sqlite_restore(engine: Engine, source: Path) -> None:
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup:
        try:
            found = backup.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_event'"
            ).fetchone()[0]
        except sqlite3.DatabaseError:
            found = 0
        if not found:
            raise BackupError(f"{source} is not a backup of this application")
        engine.dispose()
        raw = engine.raw_connection()
        try:
            backup.backup(raw.driver_connection)
        finally:
            raw.close()
    backup.close()


# --- PostgreSQL -----------------------------------------------------------------------------
def _pg_args(engine: Engine) -> tuple[list[str], dict[str, str]]:
    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    args = ["--dbname", url.database or ""]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password  # never on the command line (visible in `ps`)
    return args, env


def _run(tool: str, args: list[str], env: dict[str, str]) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (PostgreSQL client tools)")
    done = subprocess.run([tool, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip()[:2000]}")


def _pg_create(engine: Engine, target: Path) -> None:
    args, env = _pg_args(engine)
    _run("pg_dump", ["--format=custom", "--no-owner", "--file", str(target), *args], env)


def _pg_restore(engine: Engine, source: Path) -> None:
    args, env = _pg_args(engine)
    engine.dispose()  # our own idle connections would block the DROPs
    options = ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"]
    _run("pg_restore", [*options, *args, str(source)], env)


# --- both -----------------------------------------------------------------------------------
def create_backup(engine: Engine, target: Path) -> Path:
    """Write a consistent copy of the database to `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        _sqlite_create(engine, target)
    else:
        _pg_create(engine, target)
    return target


def restore_backup(engine: Engine, source: Path) -> None:
    """Replace the whole database with the backup `source`."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    if engine.dialect.name == "sqlite":
        _sqlite_restore(engine, source)
    else:
        _pg_restore(engine, source)
    _forget_installation(engine)
    engine.dispose()


def _forget_installation(engine: Engine) -> None:
    """The restored database gets a new identity on first use: renderings shared in Redis
    under the old one (snapshot ids now reused) are never served for it."""
    try:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM installation"))
    except Exception:  # a backup from before the table existed: nothing to forget
        pass


def default_target(engine: Engine) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite" if engine.dialect.name == "sqlite" else "dump"
    return Path(current_app.instance_path) / "backups" / f"emulation-{stamp}.{suffix}"


@backup_cli.command("create")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@with_appcontext
def backup_create(output: Path | None) -> None:
    """Write a backup of the database (default: instance/backups/emulation-<time>.*)."""
    target = output or default_target(db.engine)
    try:
        create_backup(db.engine, target)
    except BackupError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"backup written: {target} ({target.stat().st_size} bytes)")


@backup_cli.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def backup_restore(source: Path, yes: bool) -> None:
    """Replace the whole database with SOURCE (stop the web and scheduler services first)."""
    from emulation.audit.services import verify_chain

    if not yes:
        click.confirm(f"Replace the whole database with {source}?", abort=True)
    db.session.remove()
    try:
        restore_backup(db.engine, source)
    except BackupError as err:
        raise click.ClickException(str(err)) from None
    report = verify_chain(db.session)
    db.session.remove()
    click.echo(f"restored from {source}; audit chain: {'OK' if report.ok else report.problem}")
    if not report.ok:
        raise SystemExit(1)
