"""What every journey page is checked for: language, accessibility, keyboard focus; and the
screenshots of key pages, written to a temporary directory unless E2E_SCREENSHOTS names one
(`make screenshots` sets it to docs/screenshots to refresh the committed pictures)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# An ordinary test run never rewrites the committed pictures in docs/screenshots/.
SCREENSHOTS = Path(
    os.environ.get("E2E_SCREENSHOTS") or Path(tempfile.gettempdir()) / "emulation-e2e-screenshots"
)
SCREENSHOT_TYPE = os.environ.get("E2E_SCREENSHOT_TYPE", "jpeg")  # or png
DEVICES = {
    "desktop": {"width": 1366, "height": 900},
    "phone": {"width": 390, "height": 844},
}
AXE_URL = "/static/vendor/axe-core/axe.min.js"
# axe-core's WCAG 2.1 A/AA rules plus its best practices; serious and critical findings fail.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}
# A tall page is cut at this many screens, so the committed pictures stay small.
MAX_SCREENS = 1.5


DEMO_PASSWORD = "thidua-2026"  # every demo account's (README)


def sign_in(page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form and wait until the login page is left: a click alone may
    return before the POST, and a next `goto` would then abort it (and test a login page)."""
    page.goto(base + "/auth/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)
    page.wait_for_load_state()


def device_of(page) -> str:
    return "phone" if page.viewport_size["width"] < 768 else "desktop"


def snap(page, name: str, both: bool = False) -> list[Path]:
    """Screenshot the page (JPEG) as `<name>-<device>.jpg`; `both` adds the other size."""
    paths = [_snap_one(page, name)]
    if both:
        first = dict(page.viewport_size)
        other = "phone" if device_of(page) == "desktop" else "desktop"
        page.set_viewport_size(DEVICES[other])
        page.wait_for_timeout(300)  # let charts and media queries settle on the new width
        paths.append(_snap_one(page, name))
        page.set_viewport_size(first)
    return paths


def _snap_one(page, name: str) -> Path:
    return snap_as(page, f"{name}-{device_of(page)}")


def snap_as(page, filename: str) -> Path:
    """Screenshot under exactly this name (plus the image suffix)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    suffix = "jpg" if SCREENSHOT_TYPE == "jpeg" else SCREENSHOT_TYPE
    path = SCREENSHOTS / f"{filename}.{suffix}"
    size = page.viewport_size
    # From the top: a sticky bar scrolled with the page would leave its place blank.
    # No focus ring left by the keyboard checks on the picture.
    page.evaluate("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()")
    height = page.evaluate("document.documentElement.scrollHeight")
    clip = {
        "x": 0,
        "y": 0,
        "width": size["width"],
        "height": min(height, size["height"] * MAX_SCREENS),
    }
    quality = {"quality": 60} if SCREENSHOT_TYPE == "jpeg" else {}
    page.screenshot(path=str(path), type=SCREENSHOT_TYPE, full_page=True, clip=clip, **quality)
    return path


def axe_violations(page) -> list[dict]:
    """Serious or critical axe-core violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)  # same origin, so the CSP allows it
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in result["violations"]
        if v["impact"] in FAILING_IMPACTS
    ]


FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName, text: (el.innerText || el.value || '').slice(0, 40),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
  };
}"""


def focus_is_visible(page, presses: int = 3) -> list[dict]:
    """Tab through the first few stops; return those without a visible focus indicator."""
    page.locator("body").focus()
    hidden = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STYLE)
        if state is not None and not (state["outline"] or state["shadow"]):
            hidden.append(state)
    return hidden


def check_page(page, lang: str = "vi") -> None:
    """The checks every journey page passes: `lang`, accessibility, visible keyboard focus."""
    assert page.locator("html").get_attribute("lang") == lang, page.url
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"
    hidden = focus_is_visible(page)
    assert hidden == [], f"{page.url}: no visible focus on {hidden}"


MISSING_GLYPHS = """([selector, glyphs]) => {
  const el = document.querySelector(selector) || document.body;
  const font = getComputedStyle(el).font;
  const draw = ch => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 48;
    const ctx = canvas.getContext("2d");
    ctx.font = font.replace(/\\d+(\\.\\d+)?px/, "32px");
    ctx.fillText(ch, 4, 36);
    return canvas.toDataURL();
  };
  const box = draw("\\uE000");  // private use: no font has it, drawn as the empty box
  return glyphs.filter(ch => draw(ch) === box);
}"""


def missing_glyphs(page, selector: str, glyphs: list[str]) -> list[str]:
    """The glyphs that the element's font stack draws as an empty box in this browser."""
    return page.evaluate(MISSING_GLYPHS, [selector, glyphs])
