"""The score sheet's per-criterion texts and links, built once per request.

A sheet of ~50 criteria made ~460 translation lookups, ~110 `url_for` calls and ~250 locale
lookups per render, each through Flask-Babel's or Flask's context machinery: about half of
its render time. Here each pattern is translated once and filled per row, the locale is read
once, and the links of a kind share one built prefix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext

from emulation.assessments.models import Evidence, SelfScore
from emulation.campaigns.criteria import walk
from emulation.campaigns.models import Criterion, CriterionKind, Period
from emulation.db import format_points
from emulation.labels import criterion_kind_label
from emulation.org.models import Unit
from emulation.scoring.models import BoardScore


def input_value(criterion: Criterion, score, locale: str) -> str:
    """A stored score as the scorer types it (see sheets.ScoreInput.value)."""
    if score is None:
        return ""
    if criterion.kind is CriterionKind.DIRECT:
        return format_points(score.points, locale).replace("−", "-")
    if criterion.kind is CriterionKind.QUANTITATIVE:
        return format_points(score.measured or 0, locale)
    return str(score.measured if score.measured is not None else "")


def id_url(endpoint: str, key: str, **values) -> Callable[..., str]:
    """`url_for(endpoint, key=id)` for many ids from one call (the id ends the path)."""
    sample = url_for(endpoint, **values, **{key: 0})
    if not sample.endswith("/0"):
        raise ValueError(f"{endpoint}: the {key} is not the last segment of {sample}")
    prefix = sample[:-1]

    def build(id_: int, query: str = "") -> str:
        return f"{prefix}{int(id_)}{query}"

    return build


@dataclass(frozen=True)
class File:
    item: Evidence
    href: str
    download: str


@dataclass(frozen=True)
class Row:
    """A group heading, or a criterion with its scores and its ready-made texts."""

    criterion: Criterion
    max: str
    score: BoardScore | None = None
    own: SelfScore | None = None
    files: tuple[File, ...] = ()
    kind: str = ""
    target: str = ""
    per_item: str = ""
    range: str = ""
    own_points: str = ""
    own_value: str = ""
    saved_value: str = ""
    placeholder: str = ""
    save_url: str = ""


class _Texts:
    """The sheet's translated patterns, looked up once (gettext without arguments returns
    the pattern, filled per row below)."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.max = gettext("max %(p)s")
        self.target = gettext("target %(t)s %(u)s")
        self.per_item = gettext("%(p)s per item")
        self.beyond = gettext("required beyond ±%(p)s from the self-score")
        self._kinds: dict[CriterionKind, str] = {}

    def kind(self, kind: CriterionKind) -> str:
        if kind not in self._kinds:
            self._kinds[kind] = criterion_kind_label(kind)
        return self._kinds[kind]

    def points(self, value: int | None) -> str:
        return format_points(value, self.locale)


def sheet_rows(period: Period, unit: Unit, *, mine: dict, own, locale: str) -> list[Row]:
    """The rows of `unit`'s sheet in display order; `mine` is the member's scores by
    criterion id, `own` the unit's `self_side.SelfSide`."""
    save_url = id_url("sheets.save", "criterion_id", period_id=period.id, unit_id=unit.id)
    evidence_url = id_url("sheets.evidence", "evidence_id")
    t = _Texts(locale)
    rows = []
    for criterion, _depth in walk(period):
        if criterion.is_group:
            rows.append(Row(criterion, t.max % {"p": t.points(criterion.max_points)}))
            continue
        files = tuple(
            File(f, evidence_url(f.id), evidence_url(f.id, "?download=1"))
            for f in own.evidence.get(criterion.id, [])
        )
        score = mine.get(criterion.id)
        texts = _texts_of(t, criterion, period, own.scores.get(criterion.id))
        texts |= {"score": score, "saved_value": input_value(criterion, score, locale)}
        rows.append(Row(**texts, files=files, save_url=save_url(criterion.id)))
    return rows


def _texts_of(t: _Texts, c: Criterion, period: Period, own: SelfScore | None) -> dict:
    threshold = c.max_points * period.comment_threshold_percent // 100
    has_target = c.kind is CriterionKind.QUANTITATIVE and c.target
    return {
        "criterion": c,
        "max": t.max % {"p": t.points(c.max_points)},
        "own": own,
        "kind": t.kind(c.kind),
        "target": t.target % {"t": t.points(c.target), "u": c.measure_unit} if has_target else "",
        "per_item": t.per_item % {"p": t.points(c.points_per_item)} if c.points_per_item else "",
        "range": f"{t.points(c.min_points)}–{t.points(c.max_points)}",
        "own_points": t.points(own.points) if own else "",
        "own_value": input_value(c, own, t.locale),
        "placeholder": t.beyond % {"p": t.points(threshold)},
    }
