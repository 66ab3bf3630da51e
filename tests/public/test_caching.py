"""ETag / Last-Modified / 304 on public pages and the API, invalidated by a new snapshot."""

from __future__ import annotations

from datetime import timedelta

import pytest

from emulation.db import utcnow

PAGES = [
    "/",
    "/bang-xep-hang/2025",
    "/bang-xep-hang/2025?scope=province",
    "/bang-xep-hang/2025/quy-tac",
    "/bang-xep-hang/2025/ban-in",
    "/bang-xep-hang/2025/xuat.csv",
    "/bang-xep-hang/2025/xuat.xlsx",
    "/api/v1/periods",
    "/api/v1/periods/2025",
    "/api/v1/periods/2025/leaderboard",
    "/api/v1/openapi.json",
]


@pytest.mark.parametrize("path", PAGES)
def test_unchanged_snapshot_answers_304(client, make, path):
    make.leaderboard_world()
    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["ETag"] == etag
    assert again.get_data() == b""


def test_unit_pages_answer_304(client, make):
    w = make.leaderboard_world()
    for path in (
        f"/don-vi/{w.units[0].code}",
        f"/api/v1/units/{w.units[0].code}",
        f"/api/v1/units/{w.units[0].code}/standings",
        "/api/v1/units?q=xa",
    ):
        etag = client.get(path).headers["ETag"]
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304, path


def test_new_snapshot_gives_200_and_a_new_etag(client, make):
    w = make.leaderboard_world()
    first = client.get("/bang-xep-hang/2025")
    old_etag, old_modified = first.headers["ETag"], first.headers["Last-Modified"]
    newer = make.snapshot(w.period, computed_at=utcnow() + timedelta(minutes=5))
    make.rankings(newer, dict.fromkeys(w.units, 5000))
    response = client.get("/bang-xep-hang/2025", headers={"If-None-Match": old_etag})
    assert response.status_code == 200
    assert response.headers["ETag"] != old_etag
    assert response.headers["Last-Modified"] != old_modified
    unit_path = f"/don-vi/{w.units[0].code}"
    assert client.get(unit_path, headers={"If-None-Match": old_etag}).status_code == 200


def test_if_modified_since(client, make):
    make.leaderboard_world()
    first = client.get("/bang-xep-hang/2025")
    modified = first.headers["Last-Modified"]
    assert (
        client.get("/bang-xep-hang/2025", headers={"If-Modified-Since": modified}).status_code
        == 304
    )
    earlier = "Mon, 01 Jan 2024 00:00:00 GMT"
    assert (
        client.get("/bang-xep-hang/2025", headers={"If-Modified-Since": earlier}).status_code == 200
    )


def test_etag_depends_on_locale_and_query(client, make):
    make.leaderboard_world()
    vi = client.get("/bang-xep-hang/2025").headers["ETag"]
    en = client.get("/bang-xep-hang/2025?lang=en").headers["ETag"]
    other_page = client.get("/bang-xep-hang/2025?page=2").headers["ETag"]
    assert len({vi, en, other_page}) == 3


def test_anonymous_is_public_signed_in_is_private(client, make, login_as):
    make.leaderboard_world()
    anonymous = client.get("/bang-xep-hang/2025")
    assert anonymous.headers["Cache-Control"] == "public, max-age=60"
    user = make.viewer(full_name="Nguyễn Văn An")
    login_as(user)
    signed_in = client.get(
        "/bang-xep-hang/2025", headers={"If-None-Match": anonymous.headers["ETag"]}
    )
    # The page now shows the user's name: a new ETag, and only the browser may keep it.
    assert signed_in.status_code == 200
    assert "private" in signed_in.headers["Cache-Control"]
    assert "Nguyễn Văn An" in signed_in.get_data(as_text=True)
