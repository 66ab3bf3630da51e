"""Translated labels for the domain's enum values and tie-break keys, shared by templates,
exports and the API. Imports only the plain domain modules, never a feature's models."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from emulation.accounts.domain import Role
from emulation.campaigns.domain import (
    Classification,
    CriterionKind,
    PeriodKind,
    PeriodStatus,
    group_of_key,
)
from emulation.org.domain import UnitKind

PERIOD_STATUS = {
    PeriodStatus.DRAFT: _l("Draft"),
    PeriodStatus.OPEN: _l("Open"),
    PeriodStatus.SELF_ASSESSMENT: _l("Self-assessment"),
    PeriodStatus.SCORING: _l("Board scoring"),
    PeriodStatus.CLOSED: _l("Closed"),
    PeriodStatus.PUBLISHED: _l("Published"),
}
PERIOD_KIND = {
    PeriodKind.HALF_YEAR: _l("Half-year review"),
    PeriodKind.NINE_MONTHS: _l("Nine-month review"),
    PeriodKind.YEAR: _l("Year-end review"),
    PeriodKind.STAGE: _l("Multi-year stage"),
}
CRITERION_KIND = {
    CriterionKind.GROUP: _l("Group"),
    CriterionKind.DIRECT: _l("Direct points"),
    CriterionKind.QUANTITATIVE: _l("Quantitative against a target"),
    CriterionKind.PASS_FAIL: _l("Pass / fail"),
    CriterionKind.BONUS: _l("Bonus"),
    CriterionKind.PENALTY: _l("Penalty"),
    CriterionKind.VETO: _l("Veto"),
}
CLASSIFICATION = {
    Classification.EXCELLENT: _l("Excellent"),
    Classification.GOOD: _l("Good"),
    Classification.COMPLETED: _l("Completed"),
    Classification.NOT_COMPLETED: _l("Not completed"),
}
UNIT_KIND = {
    UnitKind.MINISTRY: _l("Ministry"),
    UnitKind.PROVINCE: _l("Province"),
    UnitKind.CITY: _l("Centrally-run city"),
    UnitKind.DISTRICT: _l("District"),
    UnitKind.COMMUNE: _l("Commune"),
    UnitKind.WARD: _l("Ward"),
    UnitKind.TOWNSHIP: _l("Township"),
    UnitKind.SPECIAL_ZONE: _l("Special zone"),
}
ROLE = {
    Role.ADMIN: _l("Administrator"),
    Role.UNIT_HEAD: _l("Unit head"),
    Role.BOARD_MEMBER: _l("Board member"),
    Role.BOARD_CHAIR: _l("Board chair"),
    Role.VIEWER: _l("Viewer"),
}


def _lookup(table: dict):
    def label(value) -> str:
        for key, text in table.items():
            if key == value:
                return str(text)
        return str(value)

    return label


period_status_label = _lookup(PERIOD_STATUS)
period_kind_label = _lookup(PERIOD_KIND)
criterion_kind_label = _lookup(CRITERION_KIND)
classification_label = _lookup(CLASSIFICATION)
unit_kind_label = _lookup(UNIT_KIND)
role_label = _lookup(ROLE)

TIE_BREAK = {
    "total": _l("Higher total points"),
    "fewer_penalties": _l("Fewer penalty points"),
    "bonus": _l("Higher bonus points"),
    "unit_code": _l("Unit code, in ascending order"),
}


def tie_break_label(key: str) -> str:
    """One step of the tie-break chain in words, in the current language."""
    group = group_of_key(key)
    if group is not None:
        return _("Higher subtotal of group %(code)s", code=group)
    return str(TIE_BREAK.get(key, key))
