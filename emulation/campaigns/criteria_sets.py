"""Whole criteria sets: copy a period's tree and rules to another period, or import one.

Like the rest of the criteria services, these refuse a frozen target themselves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from emulation.audit import services as audit
from emulation.campaigns import validation
from emulation.campaigns.criteria import (
    criterion_state,
    ensure_criteria_editable,
    rules_state,
    walk,
)
from emulation.campaigns.domain import CriterionInput
from emulation.campaigns.models import Criterion, Period
from emulation.errors import InvalidInput, InvalidState


def _clear_set(session: Session, period: Period) -> list[dict]:
    removed = [criterion_state(c) for c, _depth in walk(period)]
    for criterion, _depth in reversed(list(walk(period))):
        session.delete(criterion)
    session.flush()
    session.expire(period, ["criteria"])
    return removed


def _prepare_target(session: Session, target: Period, replace: bool) -> list[dict]:
    ensure_criteria_editable(target)
    if target.criteria and not replace:
        raise InvalidState(
            _("This period already has criteria. Tick “replace” to overwrite its draft set.")
        )
    return _clear_set(session, target) if target.criteria else []


def copy_criteria(
    session: Session,
    *,
    source: Period,
    target: Period,
    actor: Any,
    replace: bool = False,
    ip: str = "",
) -> list[Criterion]:
    """Deep-copy the source period's tree into the target (new ids, same parent links)."""
    if source.id == target.id:
        raise InvalidInput(_("Choose another period to copy from."))
    before = _prepare_target(session, target, replace)
    copies: dict[int, Criterion] = {}
    created: list[Criterion] = []
    for original, _depth in walk(source):
        values = {f.name: getattr(original, f.name) for f in fields(CriterionInput)}
        copy = Criterion(
            period=target,
            parent=copies.get(original.parent_id) if original.parent_id else None,
            position=original.position,
            **values,
        )
        copies[original.id] = copy
        created.append(copy)
        session.add(copy)
    target.copied_from = source
    session.flush()
    audit.record(
        session,
        actor,
        "criteria.copied",
        target,
        before={"criteria": before},
        after={"source": source.code, "criteria": [criterion_state(c) for c in created]},
        ip=ip,
    )
    return created


def copy_rules(session: Session, *, source: Period, target: Period, actor: Any, ip: str = ""):
    """Carry the classification rules and tie-break chain over to a new period."""
    before = rules_state(target)
    target.band_excellent = source.band_excellent
    target.band_good = source.band_good
    target.band_completed = source.band_completed
    target.excellent_cap_percent = source.excellent_cap_percent
    target.tie_break = list(source.tie_break or [])
    target.aggregation = source.aggregation
    session.flush()
    audit.record(
        session,
        actor,
        "period.rules_updated",
        target,
        before=before,
        after=rules_state(target),
        ip=ip,
    )


@dataclass(frozen=True)
class ImportRow:
    row: int  # spreadsheet row number, for messages
    parent_code: str | None
    data: CriterionInput


def import_criteria(
    session: Session,
    *,
    period: Period,
    rows: Sequence[ImportRow],
    actor: Any,
    replace: bool = False,
    ip: str = "",
) -> list[Criterion]:
    """Replace the set with imported rows: all of them or, at the first error, none."""
    ensure_criteria_editable(period)
    cleaned = [ImportRow(r.row, r.parent_code, r.data.cleaned()) for r in rows]
    report = validation.validate_set([validation.node_of(r.data, r.parent_code) for r in cleaned])
    row_of = {r.data.code: r.row for r in cleaned}
    errors = [
        _("Row %(row)s: %(message)s", row=row_of.get(issue.code, "?"), message=issue.message)
        if issue.code
        else issue.message
        for issue in report.errors
    ]
    if errors:
        raise InvalidInput(" ".join(errors), details=errors)
    before = _prepare_target(session, period, replace)
    made: dict[str, Criterion] = {}
    positions: dict[str | None, int] = {}
    for item in cleaned:
        position = positions.get(item.parent_code, 0)
        positions[item.parent_code] = position + 1
        criterion = Criterion(period=period, position=position, **vars(item.data))
        made[item.data.code] = criterion
        session.add(criterion)
    for item in cleaned:
        if item.parent_code:
            made[item.data.code].parent = made[item.parent_code]
    session.flush()
    created = [made[item.data.code] for item in cleaned]
    audit.record(
        session,
        actor,
        "criteria.imported",
        period,
        before={"criteria": before},
        after={"criteria": [criterion_state(c) for c in created]},
        ip=ip,
    )
    return created
