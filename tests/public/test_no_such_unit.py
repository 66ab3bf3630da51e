"""An unknown unit address: a helpful page, not a bare 404; other error pages in Vietnamese."""

from __future__ import annotations

from emulation.campaigns.models import PeriodStatus


def test_an_unknown_code_suggests_units_named_like_the_address(client, make):
    make.unit(name="Phường Cửa Nam", code="00073")
    make.unit(name="Xã Cửa Nam Quan", code="99001")
    make.unit(name="Xã Đông Anh", code="99002")
    response = client.get("/don-vi/cua-nam")
    text = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Không có đơn vị này" in text
    assert 'href="/don-vi/00073"' in text and 'href="/don-vi/99001"' in text
    assert "Đông Anh" not in text


def test_the_page_offers_the_search_of_the_current_leaderboard(client, make):
    period = make.period(status=PeriodStatus.SCORING, code="2026")
    make.standing(make.snapshot(period), make.unit(name="Xã Bản Giốc"), total=9000, rank=1)
    text = client.get("/don-vi/12345").get_data(as_text=True)
    assert 'action="/bang-xep-hang/2026"' in text
    assert 'name="q"' in text


def test_the_api_still_answers_json_for_an_unknown_unit(client):
    response = client.get("/api/v1/units/nope")
    assert response.status_code == 404
    assert response.is_json


def test_a_404_elsewhere_explains_itself_in_vietnamese(client):
    text = client.get("/khong-co-trang-nay").get_data(as_text=True)
    assert "Không có trang nào ở địa chỉ này." in text
    assert "The requested URL was not found" not in text


def test_a_403_explains_itself_in_vietnamese(client, make, login_as):
    login_as(make.user())
    response = client.get("/admin/")
    text = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "You don't have the permission" not in text
    assert "không được phép" in text
