"""`flask audit verify`: check the hash chain of the audit log."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext

from emulation.audit.services import verify_chain
from emulation.extensions import db

audit_cli = AppGroup("audit", help="The hash-chained audit log.")


@audit_cli.command("verify")
@with_appcontext
def audit_verify() -> None:
    """Check every hash and link of the audit log; exit 1 at the first break."""
    report = verify_chain(db.session)
    if report.ok:
        click.echo(f"audit log OK: {report.checked} events verified")
        return
    click.echo(f"audit log BROKEN at event id {report.broken_at} (after {report.checked} good)")
    raise SystemExit(1)
