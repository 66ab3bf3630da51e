"""Browser tests, driven by Debian's Chromium through Playwright.

Two kinds of server:
- `live_server`: the test app (same database as the `make` factories) in a thread, for small
  pages built by factories;
- `demo_site`: the journeys' real server, a gunicorn process on a free 127.0.0.1 port over a
  fresh database (SQLite file, or a new PostgreSQL database beside TEST_DATABASE_URL) brought
  up by `flask db upgrade` and `flask demo load --provinces 2`, as an operator would."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.e2e.support import CHROMIUM, DEVICES

ROOT = Path(__file__).resolve().parents[2]
DEMO_PROVINCES = os.environ.get("E2E_PROVINCES", "2")
# Two workers, as in production: nothing may rely on one process's memory.
GUNICORN_ARGS = ["--workers", "2", "--threads", "4", "--graceful-timeout", "2"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _closing(app):
    """The app, each response read whole and closed before werkzeug writes it. When the
    browser drops a connection (a font or image cancelled by a navigation), werkzeug's dev
    server can fail while tidying the socket and skip the body's close(), leaving a static
    file open: a ResourceWarning that `filterwarnings=error` turns into a failure of whichever
    test is running. The pages and files served here are small."""

    def wrapped(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wrapped


@pytest.fixture
def live_server(app):
    """Serve the test app (same database as the `make` factories) on 127.0.0.1."""
    server = make_server("127.0.0.1", 0, _closing(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def _open_context(browser, device: str = "desktop", locale: str = "vi-VN"):
    return browser.new_context(
        viewport=DEVICES[device], locale=locale, accept_downloads=True, timezone_id="UTC"
    )


def _watch_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            errors.append(f"{msg.text} ({msg.location.get('url', '')})")
            if msg.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.fixture
def page(browser, app):
    """A fresh browser context per test; console errors fail the test."""
    context = _open_context(browser)
    page = context.new_page()
    errors = _watch_errors(page)
    yield page
    context.close()
    assert errors == [], f"browser console errors: {errors}"


@pytest.fixture
def open_page(browser):
    """`open_page(device, locale, expect=())`: a page in a fresh context; console errors fail
    the test, except those containing one of `expect` (an answer the journey provokes, e.g.
    the 422 of a score saved before its required comment)."""
    opened: list[tuple] = []

    def _open(device: str = "desktop", locale: str = "vi-VN", expect: tuple[str, ...] = ()):
        context = _open_context(browser, device, locale)
        page = context.new_page()
        opened.append((context, _watch_errors(page), expect))
        return page

    yield _open
    for context, _errors, _expect in opened:
        context.close()
    errors = [
        e for _context, errs, expect in opened for e in errs if not any(x in e for x in expect)
    ]
    assert errors == [], f"browser console errors: {errors}"


# --- the journeys' real server ------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args: list[str], env: dict) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    for _ in range(150):
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer:\n{log.read_text()}")


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory):
    """A fresh, empty database for the demo server."""
    pg_url = os.environ.get("TEST_DATABASE_URL", "")
    if pg_url:
        from tests.conftest import _fresh_postgres_database

        url, drop = _fresh_postgres_database(pg_url)
        yield url
        drop()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('e2e-db') / 'demo.sqlite'}"


@pytest.fixture(scope="session")
def demo_env(demo_database, tmp_path_factory) -> dict:
    """The environment of the demo server (and of commands run beside it, as an operator)."""
    if os.environ.get("E2E_BASE_URL"):
        return dict(os.environ)  # a server you run: its DATABASE_URL is yours
    workdir = tmp_path_factory.mktemp("e2e-site")
    env = {
        key: value
        for key, value in os.environ.items()
        # The server gets its own database and no shared Redis: cached pages of another run
        # (same snapshot ids, other data) must never be served here.
        if key not in {"TEST_DATABASE_URL", "REDIS_URL", "RATELIMIT_STORAGE_URI"}
    }
    env.update(
        DATABASE_URL=demo_database,
        EMULATION_ENV="production",
        SESSION_COOKIE_SECURE="0",  # plain http on 127.0.0.1
        SECRET_KEY="e2e-" + os.urandom(8).hex(),
        EMULATION_INSTANCE_DIR=str(workdir),
        EVIDENCE_DIR=str(workdir / "evidence"),
        FLASK_APP="wsgi",
    )
    return env


def run_beside(env: dict, *args: str) -> str:
    """`python -m …` (a flask command, a tests.e2e helper) over the demo server's database;
    returns what it printed."""
    return _run([sys.executable, "-m", *args], env)


@pytest.fixture(scope="session")
def demo_site(browser, demo_env):
    """Base URL of gunicorn serving a freshly migrated database loaded with the demo data.

    E2E_BASE_URL points the journeys at a server already running instead (while writing
    them; journeys change data, so start it from a fresh demo database)."""
    if os.environ.get("E2E_BASE_URL"):
        yield os.environ["E2E_BASE_URL"].rstrip("/")
        return
    env = demo_env
    workdir = Path(env["EMULATION_INSTANCE_DIR"])
    flask = [sys.executable, "-m", "flask"]
    _run([*flask, "db", "upgrade"], env)
    _run([*flask, "demo", "load", "--provinces", DEMO_PROVINCES], env)
    port = _free_port()
    log = workdir / "server.log"
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    with log.open("w") as out:
        server = subprocess.Popen(
            [gunicorn, *GUNICORN_ARGS, "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server, log)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
