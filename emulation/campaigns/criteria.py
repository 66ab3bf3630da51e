"""Services for a period's criteria tree and its classification rules.

The tree is editable until self-assessment opens (`Period.criteria_frozen_at`); every
service here checks that itself, so a hidden button is never the only guard. Copying or
importing a whole set is in `criteria_sets.py`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import fields
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from emulation.audit import services as audit
from emulation.campaigns import validation
from emulation.campaigns.domain import CriterionInput
from emulation.campaigns.models import Aggregation, Criterion, CriterionKind, Period, PeriodStatus
from emulation.errors import Conflict, InvalidInput, InvalidState

K = CriterionKind
EDITABLE_STATUSES = (PeriodStatus.DRAFT, PeriodStatus.OPEN)
RULES_LOCKED = (PeriodStatus.CLOSED, PeriodStatus.PUBLISHED)


def check_version(obj: Any, expected_version: int | None) -> None:
    """Refuse to write over a change the editor has not seen."""
    if expected_version is not None and obj.version != expected_version:
        raise Conflict(
            _("Someone else changed this in the meantime. Reload the page to see their change.")
        )


def criteria_editable(period: Period) -> bool:
    return period.criteria_frozen_at is None and period.status in EDITABLE_STATUSES


def ensure_criteria_editable(period: Period) -> None:
    if not criteria_editable(period):
        raise InvalidState(
            _(
                "The criteria of this period are frozen since self-assessment opened; "
                "they can no longer be changed."
            )
        )


# --- reading the tree -----------------------------------------------------------------
def walk(period: Period) -> Iterator[tuple[Criterion, int]]:
    """Every criterion in display order with its depth (0 = top level)."""
    by_parent: dict[int | None, list[Criterion]] = {}
    for criterion in period.criteria:
        by_parent.setdefault(criterion.parent_id, []).append(criterion)

    def visit(parent_id: int | None, depth: int) -> Iterator[tuple[Criterion, int]]:
        for child in sorted(by_parent.get(parent_id, []), key=lambda c: (c.position, c.id or 0)):
            yield child, depth
            yield from visit(child.id, depth + 1)

    yield from visit(None, 0)


def node_of(criterion: Criterion, parent_code: str | None = None) -> validation.Node:
    if parent_code is None and criterion.parent is not None:
        parent_code = criterion.parent.code
    return validation.node_of(criterion, parent_code)


def validate_period(period: Period) -> validation.Report:
    """The full validation report of a period's criteria set."""
    return validation.validate_set([node_of(c) for c, _depth in walk(period)])


def rules_of(period: Period) -> validation.Rules:
    return validation.Rules(
        band_excellent=period.band_excellent,
        band_good=period.band_good,
        band_completed=period.band_completed,
        excellent_cap_percent=period.excellent_cap_percent,
        tie_break=tuple(period.tie_break or ()),
        aggregation=str(period.aggregation),
    )


def group_codes(period: Period) -> list[str]:
    return [c.code for c, _depth in walk(period) if c.kind is K.GROUP]


def freeze_blockers(period: Period) -> list[str]:
    """Messages of everything that must be fixed before the criteria can be frozen."""
    report = validate_period(period)
    problems = [issue.message for issue in report.errors]
    rule_issues = validation.validate_rules(
        rules_of(period), group_codes=group_codes(period), max_possible=report.max_possible
    )
    return problems + [issue.message for issue in rule_issues]


def criterion_state(criterion: Criterion) -> dict:
    state = {f.name: getattr(criterion, f.name) for f in fields(CriterionInput)}
    state["kind"] = str(criterion.kind)
    state["parent"] = criterion.parent.code if criterion.parent is not None else None
    state["position"] = criterion.position
    return state


# --- editing one criterion ------------------------------------------------------------
def _raise_issues(issues: Sequence[validation.Issue]) -> None:
    errors = [issue for issue in issues if not issue.warning]
    if errors:
        messages = [issue.message for issue in errors]
        raise InvalidInput(" ".join(messages), details=messages)


def _check_placement(period: Period, data: CriterionInput, parent: Criterion | None, me=None):
    if parent is not None:
        if parent.period_id != period.id or parent.kind is not K.GROUP:
            raise InvalidInput(_("The parent must be a group of the same period."))
        ancestor = parent
        while ancestor is not None:
            if ancestor is me:
                raise InvalidInput(_("A group cannot be placed inside itself."))
            ancestor = ancestor.parent
    for other in period.criteria:
        if other is not me and other.code == data.code:
            raise InvalidInput(validation.issue("duplicate_code", data.code).message)
    if me is not None and me.children and data.kind is not K.GROUP:
        raise InvalidInput(_("This group still has criteria; move or delete them first."))


def _next_position(period: Period, parent: Criterion | None, me=None) -> int:
    siblings = [c for c in period.criteria if c.parent is parent and c is not me]
    return max((c.position for c in siblings), default=-1) + 1


def add_criterion(
    session: Session,
    *,
    period: Period,
    data: CriterionInput,
    actor: Any,
    parent: Criterion | None = None,
    ip: str = "",
) -> Criterion:
    """Add a group or criterion at the end of its parent (or of the top level)."""
    ensure_criteria_editable(period)
    data = data.cleaned()
    _raise_issues(validation.check_node(validation.node_of(data, parent.code if parent else None)))
    _check_placement(period, data, parent)
    criterion = Criterion(
        period=period, parent=parent, position=_next_position(period, parent), **vars(data)
    )
    session.add(criterion)
    session.flush()
    audit.record(
        session, actor, "criterion.created", criterion, after=criterion_state(criterion), ip=ip
    )
    return criterion


def update_criterion(
    session: Session,
    *,
    criterion: Criterion,
    data: CriterionInput,
    actor: Any,
    parent: Criterion | None,
    expected_version: int | None,
    ip: str = "",
) -> Criterion:
    """Edit a criterion, possibly moving it under another group."""
    period = criterion.period
    ensure_criteria_editable(period)
    check_version(criterion, expected_version)
    data = data.cleaned()
    _raise_issues(validation.check_node(validation.node_of(data, parent.code if parent else None)))
    _check_placement(period, data, parent, me=criterion)
    before = criterion_state(criterion)
    if parent is not criterion.parent:
        criterion.position = _next_position(period, parent, me=criterion)
        criterion.parent = parent
    for key, value in vars(data).items():
        setattr(criterion, key, value)
    session.flush()
    audit.record(
        session,
        actor,
        "criterion.updated",
        criterion,
        before=before,
        after=criterion_state(criterion),
        ip=ip,
    )
    return criterion


def _subtree(criterion: Criterion) -> list[Criterion]:
    nodes = [criterion]
    for child in criterion.children:
        nodes.extend(_subtree(child))
    return nodes


def delete_criterion(session: Session, *, criterion: Criterion, actor: Any, ip: str = "") -> None:
    """Delete a criterion, or a group with everything inside it."""
    period = criterion.period
    ensure_criteria_editable(period)
    nodes = _subtree(criterion)
    before = {"deleted": [criterion_state(c) for c in nodes]}
    audit.record(session, actor, "criterion.deleted", criterion, before=before, ip=ip)
    for node in reversed(nodes):
        session.delete(node)
    session.flush()
    session.expire(period, ["criteria"])


def move_criterion(
    session: Session, *, criterion: Criterion, direction: str, actor: Any, ip: str = ""
) -> Criterion:
    """Swap a criterion with its previous ("up") or next ("down") sibling."""
    period = criterion.period
    ensure_criteria_editable(period)
    siblings = sorted(
        (c for c in period.criteria if c.parent_id == criterion.parent_id),
        key=lambda c: (c.position, c.id),
    )
    index = siblings.index(criterion)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(siblings):
        return criterion
    before = [c.code for c in siblings]
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
    session.flush()
    after = [c.code for c in siblings]
    audit.record(
        session,
        actor,
        "criterion.moved",
        criterion,
        before={"order": before},
        after={"order": after},
        ip=ip,
    )
    return criterion


# --- classification rules -------------------------------------------------------------
def rules_state(period: Period) -> dict:
    return {
        "band_excellent": period.band_excellent,
        "band_good": period.band_good,
        "band_completed": period.band_completed,
        "excellent_cap_percent": period.excellent_cap_percent,
        "tie_break": list(period.tie_break or []),
        "aggregation": str(period.aggregation),
    }


def update_rules(
    session: Session,
    *,
    period: Period,
    data: validation.Rules,
    actor: Any,
    expected_version: int | None,
    ip: str = "",
) -> Period:
    """Set the bands, the cap on "excellent" and the tie-break chain."""
    check_version(period, expected_version)
    if period.status in RULES_LOCKED:
        raise InvalidState(_("Results of this period are final; its rules can no longer change."))
    report = validate_period(period)
    _raise_issues(
        validation.validate_rules(
            data, group_codes=group_codes(period), max_possible=report.max_possible
        )
    )
    before = rules_state(period)
    period.band_excellent = data.band_excellent
    period.band_good = data.band_good
    period.band_completed = data.band_completed
    period.excellent_cap_percent = data.excellent_cap_percent
    period.tie_break = list(data.tie_break)
    period.aggregation = Aggregation(data.aggregation)
    session.flush()
    audit.record(
        session,
        actor,
        "period.rules_updated",
        period,
        before=before,
        after=rules_state(period),
        ip=ip,
    )
    return period
