"""WTForms' own validation messages and the error pages speak the interface language."""

from __future__ import annotations

from flask import url_for


def test_a_required_field_says_so_in_vietnamese(client):
    page = client.post(url_for("accounts.login"), data={"username": "", "password": ""})
    text = page.get_data(as_text=True)
    assert page.status_code in (200, 422)
    assert "Trường này là bắt buộc." in text
    assert "This field is required." not in text


def test_a_required_field_says_so_in_english(client):
    client.get(url_for("public.home", lang="en"))
    text = client.post(url_for("accounts.login"), data={"username": ""}).get_data(as_text=True)
    assert "This field is required." in text


def test_length_limits_are_translated_with_their_number(app):
    from emulation.accounts.forms import LoginForm

    with app.test_request_context(method="POST", data={"username": "x" * 81, "password": ""}):
        form = LoginForm()
        assert not form.validate()
        assert form.username.errors == ["Không được dài quá 80 ký tự."]
        assert form.password.errors == ["Trường này là bắt buộc."]
