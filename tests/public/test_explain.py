"""Explain a rank: the page and API behind every leaderboard row, figures exact."""

from emulation.campaigns.models import CriterionKind
from emulation.leaderboards.recompute import recompute_period

K = CriterionKind


def scored_world(make):
    """Two members score b, one scores c; a is flagged and vetoed by the chair."""
    w = make.scoring_world(tie_break=["total", "group:2"], excellent_cap_percent=50)
    w.default_tree()
    w.leaf("Q", None, kind=K.QUANTITATIVE, max_points=1000, target=8000, target_share_percent=80)
    province = make.province()
    a, b, c = (w.unit(parent=province) for _ in range(3))
    make.cluster(units=[a, b, c])
    w.score(b, {"1.1": 1500, "2.1": 1000, "Q": 0}, scorer=0, measured={"Q": 9000})
    w.score(b, {"1.1": 1501, "2.1": 1000, "Q": 0}, scorer=1, measured={"Q": 9001})
    w.score(c, {"1.1": 1000, "2.1": 1500, "B1": 300, "Q": 0}, measured={"Q": 10000})
    w.score(a, {"1.1": 2000, "2.1": 2000}, measured={"V1": 1})
    w.decide(a, reason="Cán bộ bị giáng chức")
    recompute_period(w.session, w.period)
    w.session.commit()
    return w, (a, b, c)


def test_explain_api_reproduces_the_total_with_hand_computed_figures(client, make):
    w, (a, b, c) = scored_world(make)
    body = client.get(f"/api/v1/periods/{w.period.code}/leaderboard/{b.code}/explain").get_json()
    # b: 1.1 = (15 + 15.01) / 2 = 15.005; 2.1 = 10; Q: (90 + 90.01) / 2 = 90.005 against
    # leader c (100): 8 + 2 × 10.005 / 20 = 9.0005 -> 9.00 (rounded once, like a score).
    criteria = {row["code"]: row for row in body["criteria"]}
    assert criteria["1.1"]["combined"] == "15.005"
    assert criteria["1.1"]["scores"] == [{"member": 1, "value": 1500}, {"member": 2, "value": 1501}]
    assert criteria["Q"]["combined"] == "90.005" and criteria["Q"]["leader"] == "100"
    assert criteria["Q"]["points"] == "9"
    assert body["exact_total"] == "34.005" and body["total"] == "34.01"  # 15.005 + 10 + 9
    assert body["matches"] is True and body["aggregation"] == "mean"
    assert body["rank"] == 2 and body["tie_break"]["above"]["unit"] == c.code
    # c: 10 + 15 + bonus 3 + Q leader 10 = 38.
    assert body["tie_break"]["above"]["decided_by"] == "total"
    vetoed = client.get(f"/api/v1/periods/{w.period.code}/leaderboard/{a.code}/explain")
    vetoed = vetoed.get_json()
    assert vetoed["rank"] is None and vetoed["vetoed"] is True
    assert vetoed["vetoes"][0]["decision"]["reason"] == "Cán bộ bị giáng chức"
    assert vetoed["classification"] == "not_completed"


def test_explain_page_anonymises_members_for_the_public(client, make, login_as):
    w, (_a, b, _c) = scored_world(make)
    url = f"/bang-xep-hang/{w.period.code}/giai-thich/{b.code}"
    page = client.get(url + "?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "member 1" in html and w.scorers[0].full_name not in html
    assert "15.005" in html and "add up exactly" in html
    login_as(make.unit_head(unit=b))
    named = client.get(url)
    assert w.scorers[0].full_name in named.get_data(as_text=True)
    assert "thành viên 1" not in named.get_data(as_text=True)
    assert "no-store" in named.headers["Cache-Control"]


def test_every_leaderboard_row_links_to_its_explanation(client, make):
    w, (a, b, c) = scored_world(make)
    html = client.get(f"/bang-xep-hang/{w.period.code}").get_data(as_text=True)
    for unit in (a, b, c):
        assert f"/bang-xep-hang/{w.period.code}/giai-thich/{unit.code}" in html
    # The vetoed unit comes last, without a rank number.
    assert html.index(c.code) < html.index(b.code) < html.index(a.code)


def test_explain_of_a_unit_not_in_the_board_is_404(client, make):
    w, _units = scored_world(make)
    other = make.unit()
    assert client.get(f"/bang-xep-hang/{w.period.code}/giai-thich/{other.code}").status_code == 404
    api = client.get(f"/api/v1/periods/{w.period.code}/leaderboard/{other.code}/explain")
    assert api.status_code == 404
