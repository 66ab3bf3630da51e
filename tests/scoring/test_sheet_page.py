"""The score sheet page: its per-criterion texts and links, and the statements it costs."""

from __future__ import annotations

import re

import pytest
from flask import url_for
from sqlalchemy import select

from emulation.campaigns.models import CriterionKind
from emulation.extensions import db
from emulation.scoring.models import ScoreSheet
from emulation.scoring.sheet_display import id_url
from tests.scoring.helpers import build, score_all
from tests.statements import statements


@pytest.fixture
def world(make):
    return build(make)


def _page(client, world) -> str:
    url = url_for("sheets.sheet", period_id=world.period.id, unit_id=world.units[0].id)
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _row(page: str, criterion) -> str:
    """The criterion's form on the page, whitespace collapsed."""
    found = re.search(rf'<form[^>]* id="crit-{criterion.id}".*?</form>', page, re.S)
    assert found, f"no row for {criterion.code}"
    return " ".join(found.group(0).split())


def _grow(make, world, n: int) -> None:
    """Add `n` criteria to the period, each self-scored with a note and a file, and scored."""
    group = make.group(period=world.period, code="9", max_points=100 * n, position=9)
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.unit_id == world.units[0].id))
    for i in range(n):
        criterion = make.criterion(
            period=world.period, parent=group, code=f"9.{i}", max_points=100, position=i
        )
        make.self_score(world.assessments[0], criterion, points=100, note=f"Ghi chú {i}")
        make.evidence(assessment=world.assessments[0], criterion=criterion)
        make.board_score(sheet, criterion, points=100, comment=f"Nhận xét {i}")


def test_sheet_page_statements_do_not_grow_with_the_criteria(
    app, client, login_as, make, db_session, world
):
    score_all(db_session, world, world.members[0], world.units[0], (800, 1, 0, 0), submit=False)
    make.evidence(assessment=world.assessments[0], criterion=world.direct)
    login_as(world.members[0])
    _page(client, world)  # first visit of the session
    with statements(app) as small:
        page = _page(client, world)
    assert page.count('class="crit-row') == 4
    _grow(make, world, 20)
    with statements(app) as large:
        page = _page(client, world)
    assert page.count('class="crit-row') == 24 and "Nhận xét 19" in page
    assert len(large) == len(small), f"{len(small)} statements for 4 criteria, {len(large)} for 24"


def test_each_row_shows_its_limits_self_score_and_links(client, login_as, make, db_session, world):
    score_all(db_session, world, world.members[0], world.units[0], (800, 1, 1, 0), submit=False)
    pdf = make.evidence(assessment=world.assessments[0], criterion=world.direct)
    login_as(world.members[0])
    page = _page(client, world)
    direct = _row(page, world.direct)
    assert "Chấm điểm trực tiếp · tối đa 10 </div>" in direct
    assert "<strong>8</strong>" in direct and "Đạt chỉ tiêu" in direct  # the self-score, note
    assert 'value="8"' in direct and 'placeholder="bắt buộc khi lệch quá ±2"' in direct
    assert "0–10" in direct  # the range a direct score takes
    save = url_for("sheets.save", period_id=world.period.id, unit_id=world.units[0].id,
                   criterion_id=world.direct.id)  # fmt: skip
    assert f'hx-post="{save}"' in direct
    assert f'src="{url_for("sheets.evidence", evidence_id=pdf.id)}"' in direct
    download = url_for("sheets.evidence", evidence_id=pdf.id, download=1)
    assert f'<a href="{download}">Tải xuống {pdf.original_name}</a>' in direct
    penalty = _row(page, world.penalty)
    assert "Điểm trừ · tối đa 5 · 1 mỗi lượt</div>" in penalty and 'value="1"' in penalty
    assert world.penalty.kind is CriterionKind.PENALTY


def test_id_url_builds_what_url_for_builds(app):
    save = id_url("sheets.save", "criterion_id", period_id=3, unit_id=4)
    for criterion_id in (1, 17, 12345):
        expected = url_for("sheets.save", period_id=3, unit_id=4, criterion_id=criterion_id)
        assert save(criterion_id) == expected
    evidence = id_url("sheets.evidence", "evidence_id")
    assert evidence(9, "?download=1") == url_for("sheets.evidence", evidence_id=9, download=1)
    with pytest.raises(ValueError):
        id_url("sheets.sheet", "period_id", unit_id=4)  # the id is not the path's end
