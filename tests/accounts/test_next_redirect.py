"""After sign-in the user goes back to `next` only when it names a page of this site."""

from __future__ import annotations

import pytest

from tests.factories import DEFAULT_PASSWORD


def _login_with_next(client, user, raw_next: str):
    # The query string is sent as written (already percent-encoded where needed).
    return client.post(
        f"/auth/login?next={raw_next}",
        data={"username": user.username, "password": DEFAULT_PASSWORD},
    )


@pytest.mark.parametrize(
    "raw_next",
    [
        "/%09/evil.example",  # a tab the browser drops: "//evil.example"
        "/%0a/evil.example",
        "%09//evil.example",
        "//evil.example/x",
        "/\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/%2F/evil.example",  # decoded by Werkzeug to "//evil.example"
        "http:/evil.example",
    ],
)
def test_next_off_this_site_goes_home(app, client, make, raw_next):
    response = _login_with_next(client, make.user(), raw_next)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_cr_lf_in_next_is_not_a_server_error(app, client, make):
    response = _login_with_next(client, make.user(), "/admin/%0d%0aSet-Cookie:%20x=1")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "\r" not in location and "\n" not in location
    assert "x=1" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize(
    ("raw_next", "expected"),
    [
        ("/auth/account", "/auth/account"),
        ("/public/leaderboard%3Fpage%3D2", "/public/leaderboard?page=2"),
    ],
)
def test_next_on_this_site_is_followed(app, client, make, raw_next, expected):
    response = _login_with_next(client, make.user(), raw_next)
    assert response.headers["Location"] == expected
