"""Render-once public responses: served as bytes, 304 without touching rows, no cookies."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from emulation.db import utcnow
from emulation.extensions import db
from emulation.public.render_cache import RenderCache, Rendered
from tests.statements import statements
from tests.worlds import rank_all

PUBLIC = [
    "/bang-xep-hang/2025",
    "/bang-xep-hang/2025?scope=province&page=1",
    "/bang-xep-hang/2025/xuat.xlsx",
    "/api/v1/periods",
    "/api/v1/periods/2025/leaderboard",
]


@pytest.fixture
def cached_app(make_app):
    """An app as in production: the public state is reused for a minute."""
    made = make_app(PUBLIC_STATE_TTL=60.0)
    yield made
    with made.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("path", PUBLIC)
def test_second_request_is_served_without_reading_standings(client, app, make, path):
    make.leaderboard_world()
    first = client.get(path)
    assert first.status_code == 200
    with statements(app) as seen:
        again = client.get(path)
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert not [s for s in seen if "standing" in s], seen


def test_conditional_request_needs_no_query_at_all_within_the_state_ttl(cached_app, make):
    make.leaderboard_world()
    db.session.commit()
    web = cached_app.test_client()
    etag = web.get("/bang-xep-hang/2025").headers["ETag"]
    with statements(cached_app) as seen:
        answer = web.get("/bang-xep-hang/2025", headers={"If-None-Match": etag})
        page = web.get("/bang-xep-hang/2025")
    assert answer.status_code == 304
    assert answer.get_data() == b""
    assert page.status_code == 200
    assert seen == []


def test_a_new_snapshot_makes_a_new_rendering(client, make):
    w = make.leaderboard_world()
    before = client.get("/bang-xep-hang/2025").get_data(as_text=True)
    newer = make.snapshot(w.period, computed_at=utcnow() + timedelta(minutes=5))
    rank_all(make, newer, dict.fromkeys(w.units, 5000))
    after = client.get("/bang-xep-hang/2025").get_data(as_text=True)
    # Totals print with two decimals (99,00 before, 50,00 in the newer snapshot).
    assert "99,00<" in before and "99,00<" not in after
    assert "50,00<" in after


@pytest.mark.parametrize(
    "path", ["/bang-xep-hang/2025", "/don-vi/{code}", "/api/v1/periods/2025/leaderboard", "/"]
)
def test_anonymous_public_responses_set_no_cookie(client, make, path):
    w = make.leaderboard_world()
    response = client.get(path.format(code=w.units[0].code))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert 'name="csrf-token"' not in response.get_data(as_text=True)


def test_choosing_a_language_sets_a_private_cookie(client, make):
    make.leaderboard_world()
    response = client.get("/bang-xep-hang/2025?lang=en")
    assert "Set-Cookie" in response.headers
    assert response.headers["Cache-Control"].startswith("private")
    assert "Leaderboard" in response.get_data(as_text=True)


def test_signed_in_pages_keep_the_csrf_token_and_are_not_shared(client, make, login_as):
    make.leaderboard_world()
    anonymous = client.get("/bang-xep-hang/2025").get_data(as_text=True)
    login_as(make.viewer(full_name="Trần Thị Bình"))
    signed_in = client.get("/bang-xep-hang/2025").get_data(as_text=True)
    assert 'name="csrf-token"' in signed_in
    assert "Trần Thị Bình" in signed_in and "Trần Thị Bình" not in anonymous
    client.post("/auth/logout")
    assert "Trần Thị Bình" not in client.get("/bang-xep-hang/2025").get_data(as_text=True)


def test_badges_and_movement_are_translated_per_language(client, make):
    w = make.leaderboard_world()
    newer = make.snapshot(w.period, computed_at=utcnow() + timedelta(minutes=5))
    previous = {("national", w.units[1].code): 1}
    rank_all(make, newer, {u: 9900 - 10 * i for i, u in enumerate(w.units)}, previous=previous)
    vi = client.get("/bang-xep-hang/2025").get_data(as_text=True)
    en = client.get("/bang-xep-hang/2025?lang=en").get_data(as_text=True)
    assert "Hoàn thành xuất sắc" in vi and 'title="Giảm 1 bậc"' in vi
    assert ">Excellent<" in en and 'title="Down 1"' in en


def _entry(size: int) -> Rendered:
    return Rendered(b"x" * size, "text/html; charset=utf-8")


def test_lru_drops_the_least_recently_used_by_count_and_by_bytes():
    cache = RenderCache(size=2, max_bytes=1000)
    cache.put("a", _entry(10))
    cache.put("b", _entry(10))
    assert cache.get("a") is not None  # "b" is now the oldest
    cache.put("c", _entry(10))
    assert cache.get("b") is None and cache.get("a") and cache.get("c")
    cache.put("d", _entry(240))
    cache.put("e", _entry(240))  # 480 bytes with "d"; the small ones went by count
    assert cache.bytes <= 1000
    cache.put("huge", _entry(600))  # over a quarter of the budget: never kept
    assert cache.get("huge") is None


def test_rendered_survives_a_round_trip():
    value = Rendered(b"a\nb", "text/csv", (("Content-Disposition", "attachment"),))
    assert Rendered.loads(value.dumps()) == value


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_workers_share_renderings_through_redis():
    url = os.environ["REDIS_URL"]
    key = f"test-{os.getpid()}-{id(url)}"
    one, two = RenderCache(4, 10_000, url), RenderCache(4, 10_000, url)
    one.put(key, _entry(5))
    assert two.get(key) == _entry(5)
    two.redis.delete("emulation:render:" + key)


def _app_on(url: str, redis_url: str = ""):
    from config import TestingConfig
    from emulation import create_app

    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=url, RENDER_CACHE_REDIS_URL=redis_url)
    made = create_app(config)
    with made.app_context():
        db.create_all()
    return made


def _shared_cache(made):
    from emulation.public.render_cache import render_cache

    with made.app_context():
        cache = render_cache()
        db.engine.dispose()
    return cache


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_two_databases_sharing_one_redis_never_serve_each_others_pages(tmp_path):
    url = os.environ["REDIS_URL"]
    one = _shared_cache(_app_on(f"sqlite:///{tmp_path / 'one.sqlite'}", url))
    other = _shared_cache(_app_on(f"sqlite:///{tmp_path / 'other.sqlite'}", url))
    again = _shared_cache(_app_on(f"sqlite:///{tmp_path / 'one.sqlite'}", url))  # a 2nd worker
    key = f"test-identity-{os.getpid()}"  # the same snapshot id, path and language
    one.put(key, _entry(7))
    try:
        assert other.get(key) is None
        assert again.get(key) == _entry(7)
    finally:
        one.redis.delete(one.prefix + key)


def test_the_database_identity_is_stored_once_and_differs_between_databases(tmp_path):
    from emulation.public.render_cache import database_identity

    def identity(name: str) -> str:
        made = _app_on(f"sqlite:///{tmp_path / name}")
        with made.app_context():
            found = database_identity()
            db.engine.dispose()
        return found

    first = identity("one.sqlite")
    assert identity("one.sqlite") == first
    assert identity("two.sqlite") != first
    (tmp_path / "one.sqlite").unlink()  # recreated under the same URL: a new identity
    assert identity("one.sqlite") != first
