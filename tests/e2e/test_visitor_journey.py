"""Journeys (c) and (d): an anonymous visitor, in Vietnamese and in English.

National leaderboard → a province → a cluster; finds a unit by typing its name without
diacritics; opens its page and the explanation of its rank; downloads the XLSX and opens it.
Vietnamese on a desktop and on a phone; English on a desktop. Every page passes
`check_page` (lang, axe-core, focus)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import openpyxl
import pytest

from emulation.public.display import MOVE_GLYPHS
from tests.e2e.support import check_page, missing_glyphs, snap

# Demo data with two provinces: Thành phố Hà Nội (01) and Cao Bằng (04).
UNIT_CODE = "00073"
UNIT = "Phường Cửa Nam"
TYPED = "cua nam"  # what a visitor types on a phone: no diacritics
PROVINCE = "Cao Bằng"
CLUSTER = "Cụm 1 – Hà Nội"  # Phường Cửa Nam's emulation cluster


@dataclass(frozen=True)
class Words:
    lang: str
    leaderboard: str
    province: str
    cluster: str
    find: str
    total: str
    unit: str
    explain: str
    neighbour: str  # how the explanation names the unit just above or below


VI = Words(
    "vi", "Bảng xếp hạng", "Tỉnh", "Cụm thi đua", "Tìm", "Tổng điểm", "Đơn vị",
    "Cách tính thứ hạng này", r"Xếp (trên|dưới) .+ \(hạng \d+\)",
)  # fmt: skip
EN = Words(
    "en", "Leaderboard", "Province", "Cluster", "Find", "Total", "Unit",
    "How this rank was built", r"(Above|Below) .+ \(rank \d+\)",
)  # fmt: skip


class Visitor:
    """One visitor's browser tab, with the checks and screenshots of every page."""

    def __init__(self, page, base: str, words: Words, device: str, shots: bool):
        self.page, self.base, self.words, self.device = page, base, words, device
        self.suffix = "" if words.lang == "vi" else "-en"
        self.shots = shots

    def arrive(self, name: str) -> None:
        self.page.wait_for_load_state()
        check_page(self.page, self.words.lang)
        if self.shots:
            snap(self.page, name + self.suffix)

    def menu(self, label: str) -> None:
        if self.device == "phone":
            self.page.locator(".navbar-toggler").click()
        self.page.get_by_role("link", name=label, exact=True).click()

    def scope(self, tab: str, choice: str) -> None:
        self.page.locator(".scope-tabs").get_by_role("link", name=tab, exact=True).click()
        self.page.wait_for_load_state()
        with self.page.expect_navigation():
            self.page.locator("#scope-key").select_option(label=choice)  # submits by itself

    def heading(self) -> str:
        return self.page.locator("h1").inner_text()


def _journey(visitor: Visitor, tmp_path) -> None:
    page, words = visitor.page, visitor.words
    page.goto(visitor.base + "/")
    if words.lang == "en":
        page.get_by_role("link", name="EN", exact=True).click()
    visitor.arrive("home")

    visitor.menu(words.leaderboard)
    visitor.arrive("leaderboard-national")
    assert words.leaderboard in visitor.heading()
    assert page.locator("table.table-leaderboard tbody tr").count() == 100
    # Every movement glyph exists in the page's fonts (no empty box).
    assert missing_glyphs(page, "table.table-leaderboard", list(MOVE_GLYPHS.values())) == []
    if visitor.device == "phone":  # a compact row: rank | name, province | total, class
        first = page.locator("table.table-leaderboard tbody tr").first
        assert first.locator("td:visible").count() == 3
        assert first.bounding_box()["height"] < 64, "two lines per row"
        assert page.locator(".classification-legend").is_visible()

    visitor.scope(words.province, PROVINCE)
    visitor.arrive("leaderboard-province")
    assert page.locator("#scope-key option:checked").inner_text() == PROVINCE
    assert page.locator("table.table-leaderboard tbody tr").count() > 10

    visitor.scope(words.cluster, CLUSTER)
    visitor.arrive("leaderboard-cluster")
    rows = page.locator("table.table-leaderboard tbody tr")
    assert 1 < rows.count() <= 12

    if visitor.device == "phone":
        assert _placeholder_fits(page.get_by_role("searchbox")), "search hint cut off"
    page.get_by_role("searchbox").fill(TYPED)
    page.get_by_role("button", name=words.find, exact=True).click()
    visitor.arrive("find-my-unit")
    found = page.locator("tr.highlight")
    assert UNIT in found.inner_text()
    assert found.is_visible()

    found.get_by_role("link", name=UNIT).click()
    visitor.arrive("unit")
    assert visitor.heading() == UNIT
    assert page.locator(".stat-card .value").inner_text()  # the unit's total
    assert page.locator("#history-chart").is_visible()

    # "Why this rank?": the national rank on the unit page opens its explanation.
    rank = page.locator("table.unit-ranks tbody tr").first.locator("td").nth(1)
    shown = rank.inner_text().strip()
    rank.get_by_role("link").click()
    visitor.arrive("explain")
    assert visitor.heading() == words.explain
    if visitor.device == "phone":  # each criterion a card: neither page nor table scrolls sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        criteria = page.locator("[aria-labelledby=explain-criteria-title]")
        assert criteria.evaluate("el => el.scrollWidth <= el.clientWidth"), "criteria fit the phone"
    assert page.locator(".stat-card .value").first.inner_text().strip() == shown
    reason = page.locator("main").inner_text()
    assert re.search(words.neighbour, reason), "the explanation gives the rank's reason"
    assert UNIT in reason

    page.go_back()
    page.go_back()
    page.wait_for_load_state()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.suffix == ".xlsx"
    prefix = "bang-xep-hang-" if words.lang == "vi" else "leaderboard-"
    assert download.suggested_filename.startswith(prefix)  # named in the page's language
    _check_workbook(saved, words)


def _placeholder_fits(box) -> bool:
    return box.evaluate(
        """el => {
          const style = getComputedStyle(el);
          const ctx = document.createElement("canvas").getContext("2d");
          ctx.font = style.font;
          const room = el.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight);
          return ctx.measureText(el.placeholder).width <= room;
        }"""
    )


def _check_workbook(path, words: Words) -> None:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(book.active.iter_rows(values_only=True))
    finally:
        book.close()
    header = rows[0]
    assert words.unit in header and words.total in header
    units = [row[header.index(words.unit)] for row in rows[1:]]
    assert UNIT in units and 1 < len(units) <= 12  # the cluster shown, not the whole country
    total = rows[1 + units.index(UNIT)][header.index(words.total)]
    assert 0 < float(total) <= 110


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_visitor_finds_a_unit_and_downloads_the_results(demo_site, open_page, device, tmp_path):
    page = open_page(device)
    _journey(Visitor(page, demo_site, VI, device, shots=True), tmp_path)


def test_visitor_journey_in_english(demo_site, open_page, tmp_path):
    page = open_page("desktop", locale="en-GB")
    _journey(Visitor(page, demo_site, EN, "desktop", shots=True), tmp_path)
