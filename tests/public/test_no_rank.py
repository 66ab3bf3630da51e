"""A unit without a rank is told why (unit page, find my unit), and the rules page states
every ranking rule with this period's numbers."""

from emulation.leaderboards.recompute import recompute_period


def ranked_world(make):
    w = make.scoring_world(excellent_cap_percent=50, band_excellent=1000, band_good=500)
    w.default_tree()
    province = make.province()
    ranked, tied, unscored, vetoed = (w.unit(parent=province) for _ in range(4))
    w.score(ranked, {"1.1": 1200})
    w.score(tied, {"1.1": 1200})
    w.score(vetoed, {"1.1": 1500}, measured={"V1": 1})
    w.decide(vetoed)
    w.roster()
    latecomer = w.unit(parent=province)  # created after board scoring opened
    w.score(latecomer, {"1.1": 900})
    recompute_period(w.session, w.period)
    w.session.commit()
    return w, ranked, tied, unscored, vetoed, latecomer


def test_the_unit_page_says_why_there_is_no_rank(client, make):
    w, _ranked, _tied, unscored, vetoed, latecomer = ranked_world(make)
    for unit, words in (
        (unscored, "no board member has submitted a score sheet"),
        (latecomer, "does not compete in this period"),
        (vetoed, "the board chair decided that a veto condition applies"),
    ):
        page = client.get(f"/unit/{unit.code}?period={w.period.code}&lang=en")
        assert page.status_code == 200
        assert words in page.get_data(as_text=True)


def test_find_my_unit_says_why_a_unit_is_not_in_the_board(client, make):
    w, *_units, latecomer = ranked_world(make)
    html = client.get(f"/leaderboard/{w.period.code}?q={latecomer.code}&lang=en")
    text = html.get_data(as_text=True)
    assert "No unit in this leaderboard matches" in text
    assert "does not compete in this period" in text


def test_tied_units_share_the_rank_and_the_cap_demotes_the_tie(client, make):
    w, ranked, tied, *_rest = ranked_world(make)
    body = client.get(f"/api/v1/periods/{w.period.code}/leaderboard").get_json()
    ranks = {item["unit"]["code"]: (item["rank"], item["classification"]) for item in body["items"]}
    # 2 units rated good or better, cap 50% -> quota 1; the two are tied at rank 1, so the
    # tie straddles the quota and both are rated good.
    assert ranks[ranked.code] == (1, "good") and ranks[tied.code] == (1, "good")
    html = client.get(f"/leaderboard/{w.period.code}/rules?lang=en").get_data(as_text=True)
    assert "2 units rated good or better, quota 1, 2 reached the excellent band, 0 awarded" in html


def test_the_rules_page_states_every_rule(client, make):
    w, *_units = ranked_world(make)
    html = client.get(f"/leaderboard/{w.period.code}/rules?lang=en").get_data(as_text=True)
    for rule in ("aggregation", "quantitative", "veto", "ties", "movement", "cap", "roster"):
        assert f'id="rule-{rule}"' in html
    assert "rounding to the hundredth happens only for display" in html
    assert "never the unit code" in html and "listed by name" in html
    assert "previous period's official result in the same scope" in html
    assert "the best aggregated measured value among the competing units" in html
    assert "not ranked (veto)" in html and "under review" in html
    assert "Mean of the board members" in html
