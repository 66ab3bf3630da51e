"""Public pages under gunicorn (2 sync workers), each as a ratio to the static CSS file
served by the same server in the same run, measured with wrk (or a Python closed-loop
client when wrk is absent), in interleaved rounds; the median round is reported."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from benchmarks.common import ROOT

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout + e.status))
end
"""


class Server:
    """gunicorn on 127.0.0.1:port for the database at `url`; stopped by its own pid."""

    def __init__(self, url: str, port: int, workers: int = 2):
        self.port, self.url = port, url
        env = dict(os.environ, DATABASE_URL=url, EMULATION_ENV="production")
        env.setdefault("SECRET_KEY", "benchmark-only")
        env["SESSION_COOKIE_SECURE"] = "0"
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2).read()
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def fetch(base: str, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(base + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


def wrk_load(base: str, path: str, headers: dict, seconds: float, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    args = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "-s", script.name]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, base + path], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    requests, duration_us, p50, p95, p99, errors = map(int, line.split()[1:])
    return {
        "rps": requests / (duration_us / 1e6),
        "p50_ms": p50 / 1000,
        "p95_ms": p95 / 1000,
        "p99_ms": p99 / 1000,
        "errors": errors,
    }


def python_load(base: str, path: str, headers: dict, seconds: float, connections: int) -> dict:
    """Closed loop: `connections` keep-alive clients, each sending its next request when
    the previous answer is read."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = [0]
    stop_at = time.perf_counter() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        mine = []
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors[0] += 1
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
            mine.append(time.perf_counter() - started)
        latencies.extend(mine)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(connections)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": q[49] * 1000,
        "p95_ms": q[94] * 1000,
        "p99_ms": q[98] * 1000,
        "errors": errors[0],
    }


def load_tool() -> str:
    return "wrk" if shutil.which("wrk") else "python"


def measure(url: str, port: int, targets: dict, seconds: float, rounds: int, conns: int) -> dict:
    """{target: median-round figures plus bytes}; targets = {name: (path, headers, status)}.
    A header given as None is filled with the ETag the server gives that path (the 304 path)."""
    server = Server(url, port)
    try:
        run = wrk_load if load_tool() == "wrk" else python_load
        checked = {}
        for name, (path, headers, status) in list(targets.items()):
            if None in headers.values():
                etag = fetch(server.base, path)[1]["ETag"]
                headers = {k: etag if v is None else v for k, v in headers.items()}
                targets[name] = (path, headers, status)
            for _ in range(4):  # both workers render (and cache) each page before timing
                code, response_headers, body = fetch(server.base, path, headers)
            if code != status:
                raise RuntimeError(f"{name}: {path} answered {code}, expected {status}")
            checked[name] = {"bytes": len(body), "cookie": "Set-Cookie" in response_headers}
        samples: dict[str, list[dict]] = {name: [] for name in targets}
        for _ in range(rounds):
            for name, (path, headers, _status) in targets.items():
                samples[name].append(run(server.base, path, headers, seconds, conns))
        results = {}
        for name, runs in samples.items():
            middle = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
            results[name] = {**middle, **checked[name], "all_rps": [r["rps"] for r in runs]}
        return results
    finally:
        server.stop()
