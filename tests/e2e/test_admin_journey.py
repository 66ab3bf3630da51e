"""Journey (e): the national administrator prepares next year's period from this year's and
opens it, without retyping what only moves on by a year."""

from __future__ import annotations

from tests.e2e.support import check_page, sign_in, snap


def admin_menu(page, entry: str) -> None:
    page.get_by_role("button", name="Quản trị", exact=True).click()
    page.locator(".dropdown-menu.show").get_by_role("link", name=entry, exact=True).click()
    page.wait_for_load_state()


def test_admin_prepares_next_years_period_and_opens_it(demo_site, open_page):
    page = open_page("desktop")
    page.goto(demo_site + "/auth/login")
    check_page(page)
    sign_in(page, demo_site, "admin")

    navbar = page.locator("nav.navbar")
    assert navbar.bounding_box()["height"] < 70, "the signed-in menu fits on one line"
    admin_menu(page, "Tổng quan")
    check_page(page)
    snap(page, "admin-dashboard", both=True)

    admin_menu(page, "Phong trào và kỳ đánh giá")
    check_page(page)
    snap(page, "admin-campaigns", both=True)

    page.get_by_role("link", name="Tổng kết năm 2026").click()
    check_page(page)
    page.get_by_role("link", name="Chuẩn bị kỳ năm sau từ kỳ này").click()
    check_page(page)
    form = page.locator("form")
    assert page.get_by_label("Mã").input_value() == "2027"
    assert page.get_by_label("Tên (tiếng Việt)").input_value() == "Tổng kết năm 2027"
    assert page.get_by_label("Tên (tiếng Anh)").input_value() == "Year 2027"
    assert page.get_by_label("Ngày bắt đầu").input_value() == "01/01/2027"
    assert page.get_by_label("Ngày kết thúc").input_value() == "31/12/2027"
    assert "2026" in form.locator("select#based_on option:checked").inner_text()
    snap(page, "admin-next-period", both=True)

    page.get_by_role("button", name="Tạo kỳ đánh giá").click()
    page.wait_for_load_state()
    check_page(page)
    assert page.locator("h1").inner_text() == "Tổng kết năm 2027"
    assert page.locator(".alert-success").is_visible()

    page.get_by_role("button", name="Chuyển sang “Đã mở”").click()
    page.wait_for_load_state()
    check_page(page)
    assert "Đã mở" in page.locator(".status-flow .current").inner_text()
    snap(page, "admin-period-opened", both=True)

    page.get_by_role("link", name="Tiêu chí", exact=True).click()
    check_page(page)
    assert page.locator(".criteria-tree tbody tr").count() > 20  # the copied criteria set
    snap(page, "admin-criteria", both=True)
