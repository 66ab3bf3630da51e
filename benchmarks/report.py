"""Markdown tables of one benchmark run, each figure beside its reference and target.

In an existing report only the part between the markers is replaced, so the analysis
written around it (profiles, before/after) survives a new run."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _ok(good: bool) -> str:
    return "met" if good else "**missed**"


def _versions(results: dict) -> str:
    parts = [f"Python {results['machine']['python']}", f"SQLite {sqlite3.sqlite_version}"]
    try:
        import gunicorn

        parts.append(f"gunicorn {gunicorn.__version__}")
    except ImportError:
        pass
    try:
        server = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW server_version"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        if server:
            parts.append(f"PostgreSQL {server}")
    except (OSError, subprocess.SubprocessError):
        pass
    return ", ".join(parts)


def _header(results: dict) -> list[str]:
    m = results["machine"]
    load = ", ".join(f"{x:.1f}" for x in m["load"])
    scale = f"{results['units']} units" if results["units"] else "the full scale set"
    busy = m["load"][0] >= 1.0  # another process had about a core at the start
    note = (
        "a machine busy with other work: absolute figures are noisy"
        if busy
        else "an otherwise idle machine"
    )
    return [
        f"Run of {results['started'][:16].replace('T', ' ')} UTC "
        f"({'quick' if results['quick'] else 'full'}, {scale}): {m['cpus']} CPUs ({m['cpu']}), "
        f"{m['system']}; {_versions(results)}; load average at the start {load} ({note}; "
        "the ratios compare figures taken minutes apart in the same run).",
        "",
    ]


def _recompute(results: dict) -> list[str]:
    lines = [
        "### Recompute",
        "",
        "| database | score rows | generated in | first recompute, never analysed "
        "(incl. its ANALYZE) | bare GROUP BY | full recompute (best; all) | ratio | "
        "unchanged tick | aggregates rebuilt (bulk writers, once) | peak RSS (baseline) | "
        "targets ≤ 1.5 s / ≤ 4× / ≤ 150 MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, r in results["databases"].items():
        ratio = r["full"] / r["bare"] if r["bare"] else float("inf")
        every = ", ".join(f"{x:.2f}" for x in r["full_all"])
        verdict = " / ".join(
            _ok(x)
            for x in (
                r["full"] <= 1.5 and r["never_analysed"] <= 1.5,
                ratio <= 4,
                r["peak_rss_mb"] <= 150,
            )
        )
        rebuilt = f"{r['rebuild']:.2f} s" if "rebuild" in r else "–"
        never = f"{r['never_analysed']:.2f} s" + (" (was analysed)" if r["was_analysed"] else "")
        lines.append(
            f"| {NAMES[kind]} | {r['board_scores'] + r['self_scores']:,} | "
            f"{r['generate_s']:.0f} s | {never} | {r['bare']:.2f} s | "
            f"{r['full']:.2f} s ({every}) | {ratio:.1f}× | {r['unchanged']:.2f} s | "
            f"{rebuilt} | "
            f"{r['peak_rss_mb']} MB ({r['baseline_rss_mb']} MB) | {verdict} |"
        )
    return [*lines, ""]


def _http(results: dict) -> list[str]:
    http = results.get("http")
    if not http:
        return []
    static = http["static"]["rps"]
    lines = [
        f"### Public pages (gunicorn, 2 sync workers, {NAMES[results['http_database']]}, "
        f"load by {results['http_tool']})",
        "",
        "| target | bytes | req/s (median round; all) | vs static | p50 / p95 / p99 ms | "
        "errors | cookie | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    wanted = {
        "leaderboard": lambda r: r["rps"] >= 0.4 * static and r["rps"] >= 1000,
        "unit": lambda r: r["rps"] >= 0.4 * static,
        "api": lambda r: r["rps"] >= 0.4 * static,
        "leaderboard 304": lambda r: r["rps"] >= 0.8 * static,
    }
    goals = {
        "leaderboard": "≥ 40% and ≥ 1,000 req/s",
        "unit": "≥ 40%",
        "api": "≥ 40%",
        "leaderboard 304": "≥ 80%",
    }
    for name, r in http.items():
        every = ", ".join(f"{x:,.0f}" for x in r["all_rps"])
        verdict = f"{goals[name]}: {_ok(wanted[name](r))}" if name in goals else "reference"
        lines.append(
            f"| {name} | {r['bytes']:,} | {r['rps']:,.0f} ({every}) | {r['rps'] / static:.0%} | "
            f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f} / {r['p99_ms']:.1f} | {r['errors']} | "
            f"{'yes' if r['cookie'] else 'none'} | {verdict} |"
        )
    return [*lines, ""]


def _files(results: dict) -> list[str]:
    lines = [
        "### Exports and demo load",
        "",
        "| what | first request (builds): wall (CPU) | next request (cached bytes) | size | "
        "target |",
        "|---|---|---|---|---|",
    ]
    for kind, r in results["databases"].items():
        for fmt, e in r.get("exports", {}).items():
            goal = f"≤ 1 s: {_ok(e['cold_s'] <= 1)}" if fmt == "xlsx" else ""
            cpu = f" ({e['cold_cpu_s']:.2f} s)" if "cold_cpu_s" in e else ""
            lines.append(
                f"| national {fmt.upper()} export, {NAMES[kind]} | {e['cold_s']:.2f} s{cpu} | "
                f"{e['warm_s'] * 1000:.1f} ms | {e['bytes']:,} B | {goal} |"
            )
    demo = results.get("demo")
    if demo is None:
        return [*lines, ""]
    scope = f"{demo['provinces']} province(s)" if demo["provinces"] else "all provinces"
    lines += [
        f"| demo load ({scope}, SQLite, without the install) | {demo['seconds']:.1f} s | | | "
        f"≤ 60 s: {_ok(demo['seconds'] <= 60)} |",
        "",
    ]
    return lines


def _saves(results: dict) -> list[str]:
    rows = {k: r["saves"] for k, r in results["databases"].items() if r.get("saves")}
    if not rows:
        return []
    first = next(iter(rows.values()))
    lines = [
        f"### Score saves ({first['members']} concurrent board members, gunicorn 2 sync "
        f"workers, closed loop, think time {first['think_s']:.1f} s ± 50%)",
        "",
        "| database | saves (per s) | p50 / p95 / p99 ms | sheet page p95 ms | accepted | "
        "conflicts (two-tab pairs) | other 4xx | errors (5xx) | lost updates | target |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, r in rows.items():
        limit = 100 if kind == "postgresql" else 150
        lost = r["lost_wrong"] + r["lost_duplicate_bases"] + r["pairs_both_accepted"]
        good = r["p95_ms"] <= limit and r["errors"] == 0 and lost == 0
        lines.append(
            f"| {NAMES[kind]} | {r['saves']:,} ({r['saves_per_s']:.1f}) | {r['p50_ms']:.1f} / "
            f"{r['p95_ms']:.1f} / {r['p99_ms']:.1f} | {r['sheet_p95_ms']:.1f} | "
            f"{r['accepted']:,} | {r['conflicts']} ({r['pairs']}) | {r['rejected']} | "
            f"{r['errors']} | {lost} of {r['lost_checked']} checked | "
            f"p95 ≤ {limit} ms, no 5xx, no lost update: {_ok(good)} |"
        )
    return [*lines, ""]


def _imports(results: dict) -> list[str]:
    rows = {k: r["import"] for k, r in results["databases"].items() if r.get("import")}
    if not rows:
        return []
    lines = [
        "### Import of the official unit list from XLSX (empty database but the root)",
        "",
        "| database | rows (file) | preview: read + plan, wall (CPU) | apply: write, audit, "
        "commit, ANALYZE, wall (CPU) | total | target |",
        "|---|---|---|---|---|---|",
    ]
    for kind, r in rows.items():
        total = r["preview_s"] + r["apply_s"]
        lines.append(
            f"| {NAMES[kind]} | {r['rows']:,} ({r['bytes']:,} B) | {r['preview_s']:.2f} s "
            f"({r['preview_cpu_s']:.2f} s; read {r['read_s']:.2f} s) | {r['apply_s']:.2f} s "
            f"({r['apply_cpu_s']:.2f} s) | {total:.2f} s | ≤ 10 s: {_ok(total <= 10)} |"
        )
    return [*lines, ""]


def render(results: dict) -> str:
    body = _header(results) + _recompute(results) + _http(results) + _saves(results)
    body += _imports(results) + _files(results)
    return "\n".join([START, *body, END])


def write(results: dict, out: str) -> None:
    path = Path(out)
    block = render(results)
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if START in text and END in text:
            head, _, rest = text.partition(START)
            _, _, tail = rest.partition(END)
            path.write_text(head + block + tail, encoding="utf-8")
            return
    path.write_text(f"# Benchmark run\n\n{block}\n", encoding="utf-8")
