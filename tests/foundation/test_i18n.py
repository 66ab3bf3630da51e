"""Vietnamese first: every translatable string has a Vietnamese translation."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _i18n_module():
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_has_a_vietnamese_translation():
    assert _i18n_module().missing_ids() == []


def test_pages_are_vietnamese_by_default_and_english_on_request(client):
    vi = client.get("/").get_data(as_text=True)
    assert "Trang chủ" in vi and "Đăng nhập" in vi
    en = client.get("/?lang=en").get_data(as_text=True)
    assert "Home" in en and "Sign in" in en


def test_no_translation_is_left_for_a_string_the_source_no_longer_has():
    assert _i18n_module().orphan_ids() == []
