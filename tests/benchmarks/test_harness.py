"""The benchmark harness end to end at a tiny scale, so `make bench` cannot rot.

No figure is judged here (no timing assertion): only that every measurement ran and was
reported, and what the harness itself checks on the way (the 304, no cookie)."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_quick_benchmark_runs_and_reports_every_figure(tmp_path):
    report = tmp_path / "quick.md"
    env = dict(os.environ, BENCH_DIR=str(tmp_path), BENCH_PORT=str(_free_port()))
    env.pop("DATABASE_URL", None)
    args = ["--quick", "--units", "20", "--seconds", "1", "--demo-provinces", "-1"]
    args += ["--save-members", "4", "--save-seconds", "2", "--save-think", "0.1"]
    args += ["--import-rows", "40", "--pg-prefix", f"bench_test_{os.getpid()}"]
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", *args, "--out", str(report)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = report.read_text(encoding="utf-8")
    for heading in ("### Recompute", "### Public pages", "### Exports and demo load"):
        assert heading in text
    for row in ("| SQLite |", "| static |", "| leaderboard |", "| leaderboard 304 |"):
        assert row in text
    assert "| unit |" in text and "| api |" in text
    assert "national XLSX export, SQLite" in text
    for heading in ("### Score saves", "### Import of the official unit list"):
        assert heading in text
    saves = next(line for line in text.splitlines() if " checked | " in line)
    lost, _of, checked = saves.split(" checked | ")[0].rsplit("| ", 1)[1].split()
    assert saves.startswith("| SQLite |") and lost == "0" and int(checked) > 0
    assert any(line.startswith("| SQLite | 40 (") for line in text.splitlines())  # import
    page = next(line for line in text.splitlines() if line.startswith("| leaderboard |"))
    assert "| none |" in page  # anonymous page: no cookie
    assert (tmp_path / "quick.json").exists()
