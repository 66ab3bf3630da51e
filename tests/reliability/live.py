"""Real servers and browsers for the load tests: server processes on the test database
(`serve.py`) and a minimal cookie-keeping HTTP client that spreads its requests over them."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def server_processes(database_url: str, evidence_dir, log_dir: Path, n: int = 2) -> Iterator:
    """`n` server processes on the database; yields their (host, port) pairs. Each one's
    stderr (tracebacks of any 500) goes to a file in log_dir, read by `server_errors`."""
    env = dict(os.environ, SERVE_DATABASE_URL=database_url, SERVE_EVIDENCE_DIR=str(evidence_dir))
    procs, logs = [], []
    try:
        for i in range(n):
            log = open(log_dir / f"server-{i}.log", "w")  # noqa: SIM115 (closed below)
            logs.append(log)
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "tests.reliability.serve"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    text=True,
                )
            )
        addresses = []
        for proc in procs:
            line = proc.stdout.readline()
            assert line.startswith("PORT "), (line, _tail(log_dir))
            addresses.append(("127.0.0.1", int(line.split()[1])))
        yield addresses
    finally:
        for proc in procs:  # only the processes started here
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            proc.stdout.close()
        for log in logs:
            log.close()


def _tail(log_dir: Path) -> str:
    return "\n".join(p.read_text()[-3000:] for p in sorted(log_dir.glob("server-*.log")))


def log_sizes(log_dir: Path) -> dict[Path, int]:
    return {p: p.stat().st_size for p in log_dir.glob("server-*.log")}


def logged_since(log_dir: Path, sizes: dict[Path, int]) -> str:
    """What the servers wrote to stderr since `sizes` (a traceback, a logged error), or ''."""
    parts = []
    for path in sorted(log_dir.glob("server-*.log")):
        with open(path, "rb") as log:
            log.seek(sizes.get(path, 0))
            parts.append(log.read().decode("utf-8", "replace"))
    return "".join(parts).strip()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


class Browser:
    """One user's browser: keeps its cookies; each request goes to the next server in turn
    (a round-robin load balancer), so one session is served by every process."""

    def __init__(self, addresses: list[tuple[str, int]], start: int = 0) -> None:
        self.addresses = addresses
        self.turn = start
        self.cookies: dict[str, str] = {}
        self.lock = threading.Lock()

    def request(self, method: str, path: str, form: dict | None = None) -> Answer:
        host, port = self.addresses[self.turn % len(self.addresses)]
        self.turn += 1
        headers = {"Accept-Language": "vi"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(host, port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    if morsel.value and "1970" not in morsel["expires"]:
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return Answer(response.status, dict(response.headers.items()), text)
        finally:
            conn.close()

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Answer:
        return self.request("POST", path, form)

    def sign_in(self, username: str, password: str) -> None:
        answer = self.post("/auth/login", {"username": username, "password": password})
        assert answer.status == 302 and answer.headers["Location"].endswith("/"), answer


def run_threads(target, count: int) -> list[BaseException]:
    """Run target(i) in `count` threads at once; the exceptions they raised."""
    failures: list[BaseException] = []
    barrier = threading.Barrier(count)

    def body(i: int) -> None:
        try:
            barrier.wait(30)
            target(i)
        except BaseException as exc:  # reported by the test, not lost in a thread
            failures.append(exc)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return failures
