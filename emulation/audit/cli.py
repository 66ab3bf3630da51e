"""`flask audit verify`: check the hash chain of the audit log and its anchored head."""

from __future__ import annotations

from collections.abc import Iterator

import click
from flask.cli import AppGroup, with_appcontext

from emulation.audit.services import ChainReport, anchor_matches, check_and_remember, verify_chain
from emulation.extensions import db

audit_cli = AppGroup("audit", help="The hash-chained audit log.")


@audit_cli.command("verify")
@click.option("--anchor", default="", help="COUNT:HASH of a head line from the application log.")
@with_appcontext
def audit_verify(anchor: str) -> None:
    """Check every hash and link of the audit log and its head; exit 1 on any problem."""
    report = verify_chain(db.session)
    check_and_remember(db.session)
    db.session.commit()
    anchored = anchor_matches(db.session, anchor) if anchor else True
    for line, bad in _verify_lines(report, anchor, anchored):
        click.echo(line)
        if bad:
            raise SystemExit(1)


def _verify_lines(report: ChainReport, anchor: str, anchored: bool) -> Iterator[tuple[str, bool]]:
    head = f"head {report.head_count} events, hash {report.head_hash[:16]}"
    if report.problem == "edited":
        yield f"audit log BROKEN at event id {report.broken_at}: its content was edited", True
    elif report.problem == "link":
        yield (
            f"audit log BROKEN at event id {report.broken_at}: the link to the previous event"
            " is broken (an event was deleted or inserted before it)",
            True,
        )
    elif report.problem == "truncated":
        yield (
            f"audit log TRUNCATED: {report.checked} events found (last id {report.last_id}),"
            f" but the {head}: the newest events were deleted",
            True,
        )
    elif report.problem == "extended":
        yield f"audit log BROKEN: {report.checked} events do not end at the {head}", True
    elif report.problem == "no_head":
        yield f"audit log BROKEN: {report.checked} events but no head record", True
    if not anchored:
        yield f"audit log BROKEN: the anchor {anchor} is not in the chain", True
    yield f"audit log OK: {report.checked} events verified ({head})", False
