"""Pure rules of a self-assessment value: parsing what was typed and the bounds per kind.

No database, no Flask. What a value means per criterion kind (as stored in
`SelfScore.measured`): direct → points in hundredths; quantitative → the measured value in
hundredths of its unit; pass/fail and veto → 1 or 0; bonus and penalty → a count of items.
Errors carry a code and parameters; the services turn them into translated messages."""

from __future__ import annotations

import re
from decimal import Decimal

from emulation.campaigns.models import CriterionKind
from emulation.scoring.rules import CriterionSpec, points_for

K = CriterionKind
# Only ASCII digits: a phone's numeric keyboard gives these, and look-alike digits from other
# scripts must not silently become numbers.
_NUMBER = re.compile(r"^[+-]?[0-9]+(?:[.,][0-9]+)?$", re.ASCII)
MAX_DIGITS = 9  # before the decimal separator: anything longer is a typing accident
QUANTITY_LIMIT = 1_000_000_00  # one million units of measure, in hundredths
PERCENT_LIMIT = 100_00
COUNT_LIMIT = 999
YES, NO = 1, 0
CHOICE_KINDS = frozenset({K.PASS_FAIL, K.VETO})
COUNT_KINDS = frozenset({K.BONUS, K.PENALTY})
DECIMAL_KINDS = frozenset({K.DIRECT, K.QUANTITATIVE})


class BadValue(ValueError):
    """A value a criterion cannot take. `code` names the problem; `params` fill the message."""

    def __init__(self, code: str, **params: int) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def parse_decimal(text: str) -> int:
    """'12,5' or '12.5' -> 1250 (hundredths). ASCII digits, at most two decimals."""
    raw = text.strip().replace(" ", "")
    if not _NUMBER.match(raw):
        raise BadValue("not_a_number")
    whole, _sep, fraction = raw.lstrip("+-").replace(",", ".").partition(".")
    if len(whole.lstrip("0")) > MAX_DIGITS:
        raise BadValue("too_large")
    if len(fraction) > 2:
        raise BadValue("too_many_decimals")
    value = int(Decimal(raw.replace(",", ".")) * 100)
    return value


def parse_count(text: str) -> int:
    """A whole number of items ('3')."""
    raw = text.strip().replace(" ", "")
    if not _NUMBER.match(raw):
        raise BadValue("not_a_number")
    if "." in raw or "," in raw:
        raise BadValue("whole_number")
    if len(raw.lstrip("+-").lstrip("0")) > MAX_DIGITS:
        raise BadValue("too_large")
    return int(raw)


def parse_choice(text: str) -> int:
    raw = text.strip()
    if raw not in ("0", "1"):
        raise BadValue("choose")
    return int(raw)


def parse_value(kind: CriterionKind, text: str | None) -> int | None:
    """What the user typed for a criterion of this kind; None when left empty."""
    if text is None or not text.strip():
        return None
    if kind in CHOICE_KINDS:
        return parse_choice(text)
    if kind in COUNT_KINDS:
        return parse_count(text)
    if kind in DECIMAL_KINDS:
        return parse_decimal(text)
    raise BadValue("not_scored")


def upper_bound(spec: CriterionSpec, measure_unit: str = "") -> int:
    """The largest value a criterion accepts (in the stored unit of its kind)."""
    if spec.kind is K.DIRECT:
        return spec.max_points
    if spec.kind is K.QUANTITATIVE:
        return PERCENT_LIMIT if measure_unit.strip() == "%" else QUANTITY_LIMIT
    if spec.kind in COUNT_KINDS:
        return COUNT_LIMIT
    return YES


def check_value(spec: CriterionSpec, value: int, measure_unit: str = "") -> int:
    """Bounds of the kind; returns the (provisional) points the value gives."""
    if spec.kind is K.GROUP:
        raise BadValue("not_scored")
    lower = spec.min_points if spec.kind is K.DIRECT else 0
    if value < 0 and lower >= 0:
        raise BadValue("negative")
    if value < lower:
        raise BadValue("under_min", min=lower)
    top = upper_bound(spec, measure_unit)
    if value > top:
        raise BadValue("over_max", max=top)
    if spec.kind is K.QUANTITATIVE and (spec.target is None or spec.target <= 0):
        return 0  # an incomplete criterion (the editor refuses these before freezing)
    return points_for(spec, value)
