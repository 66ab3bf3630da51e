"""The campaigns vocabulary as plain Python: period kinds and statuses, criterion kinds and
their categories, classifications, the tie-break keys and the criterion spec.

No ORM and no Flask: the pure rules (`scoring/rules.py`, `leaderboards/ranking.py`,
`campaigns/validation.py`) and `labels.py` import from here, the models re-export."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, fields


class PeriodKind(enum.StrEnum):
    HALF_YEAR = "half_year"
    NINE_MONTHS = "nine_months"
    YEAR = "year"
    STAGE = "stage"


class PeriodStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    SELF_ASSESSMENT = "self_assessment"
    SCORING = "scoring"
    CLOSED = "closed"
    PUBLISHED = "published"


class CriterionKind(enum.StrEnum):
    GROUP = "group"
    DIRECT = "direct"  # 0..max, the scorer judges
    QUANTITATIVE = "quantitative"  # measured value against a target
    PASS_FAIL = "pass_fail"  # max or 0
    BONUS = "bonus"  # count × points per item, capped
    PENALTY = "penalty"  # count × points per item, capped; subtracts
    VETO = "veto"  # forces "not completed"


class Classification(enum.StrEnum):
    EXCELLENT = "excellent"  # Hoàn thành xuất sắc nhiệm vụ
    GOOD = "good"  # Hoàn thành tốt nhiệm vụ
    COMPLETED = "completed"  # Hoàn thành nhiệm vụ
    NOT_COMPLETED = "not_completed"  # Không hoàn thành nhiệm vụ


K = CriterionKind
BASE_KINDS = frozenset({K.DIRECT, K.QUANTITATIVE, K.PASS_FAIL})
COUNT_KINDS = frozenset({K.BONUS, K.PENALTY})
SCORED_KINDS = BASE_KINDS | COUNT_KINDS
# What a leaf's points count towards in the totals.
CATEGORY = {
    **dict.fromkeys(BASE_KINDS, "base"),
    K.BONUS: "bonus",
    K.PENALTY: "penalty",
    K.VETO: "veto",
}


# --- tie-break chain ----------------------------------------------------------------------
# The keys a period's tie-break chain may use, besides "group:<code>" (higher subtotal of a
# top-level group). labels.tie_break_label says each in words; ranking.sort_key applies it.
TIE_BREAK_SIMPLE = ("total", "fewer_penalties", "bonus", "unit_code")
GROUP_KEY = "group:"
DEFAULT_TIE_BREAK = ["total", "group:4", "fewer_penalties", "unit_code"]


def group_key(code: str) -> str:
    return GROUP_KEY + code


def group_of_key(key: str) -> str | None:
    """The group code of a "group:<code>" key (None for other keys)."""
    if not key.startswith(GROUP_KEY):
        return None
    return key[len(GROUP_KEY) :] or None


def is_tie_break_key(key: str) -> bool:
    return key in TIE_BREAK_SIMPLE or group_of_key(key) is not None


def tie_break_keys(group_codes: Iterable[str]) -> list[str]:
    """Every key a chain may use for a criteria set with these top-level group codes."""
    return ["total", *(group_key(code) for code in group_codes), *TIE_BREAK_SIMPLE[1:]]


# --- the criterion spec -------------------------------------------------------------------
@dataclass(frozen=True)
class CriterionInput:
    """One criterion as entered (points in hundredths): THE spec of a criterion's fields,
    shared by the form, the XLSX columns, the defaults, the services and the validation
    (`Node` adds the parent's code). The parent itself is passed alongside."""

    code: str
    kind: CriterionKind
    title_vi: str
    title_en: str = ""
    guidance_vi: str = ""
    guidance_en: str = ""
    max_points: int = 0
    min_points: int = 0
    points_per_item: int | None = None
    target: int | None = None  # hundredths of the measure unit
    target_share_percent: int | None = None
    higher_is_better: bool = True
    measure_unit: str = ""
    evidence_required: bool = False
    weight_percent: int = 100

    def cleaned(self) -> CriterionInput:
        """Drop the fields the kind does not use, so stale values never linger."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in TEXT_FIELDS:
            values[name] = values[name].strip()
        if self.kind not in COUNT_KINDS:
            values["points_per_item"] = None
        if self.kind is not K.QUANTITATIVE:
            values.update(target=None, target_share_percent=None, measure_unit="")
            values["higher_is_better"] = True
        if self.kind in (K.PASS_FAIL, K.GROUP, *COUNT_KINDS):
            values["min_points"] = 0
        return CriterionInput(**values)


SPEC_FIELDS = tuple(f.name for f in fields(CriterionInput))
# How each field is written in a spreadsheet cell or a form field.
TEXT_FIELDS = ("code", "title_vi", "title_en", "guidance_vi", "guidance_en", "measure_unit")
POINT_FIELDS = frozenset({"max_points", "min_points", "points_per_item", "target"})
INTEGER_FIELDS = frozenset({"target_share_percent", "weight_percent"})
BOOLEAN_FIELDS = frozenset({"higher_is_better", "evidence_required"})
