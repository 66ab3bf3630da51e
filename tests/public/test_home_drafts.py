"""A period still in draft (criteria not settled, maybe never announced) is not named on the
public home page."""

from __future__ import annotations

from emulation.campaigns.models import PeriodStatus


def test_home_does_not_name_a_draft_period(client, make):
    campaign = make.campaign()
    make.period(
        campaign, status=PeriodStatus.PUBLISHED, code="2025", name_vi="Năm 2025", name_en="2025"
    )
    make.period(
        campaign,
        status=PeriodStatus.DRAFT,
        code="2027-KIN",
        name_vi="Kỳ chưa công bố 2027",
        name_en="Unannounced 2027",
    )
    for lang in ("vi", "en"):
        html = client.get(f"/?lang={lang}").get_data(as_text=True)
        assert "2027" not in html, lang
        assert "2025" in html, lang
