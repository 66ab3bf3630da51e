"""Score saves by concurrent board members through the real app (gunicorn, 2 sync workers).

Each virtual member signs in (untimed), then in a closed loop opens one of its sheets (GET,
reading the sheet's version as the page carries it), saves a few criteria one after the
other with the version each answer returns (as the page's htmx does), thinking between
saves. Now and then a member saves from two tabs at once with the same version: exactly one
of the two may be accepted, the other must be a 409. At the end every accepted write is
checked against the database: per criterion the stored value is the last accepted write's
and no two accepted writes of a sheet started from the same version (no lost update)."""

from __future__ import annotations

import http.client
import random
import re
import statistics
import threading
import time
from urllib.parse import urlencode

from sqlalchemy import create_engine, text

from benchmarks.common import bench_app

PASSWORD = "Bench-saves-2026"
BOARD_NAME = "Benchmark board (saves)"
COMMENT = "benchmark"
_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
_VERSION = re.compile(r'class="sheet-version" value="(\d*)"')


# --- setup (in a child process, on the benchmark's working copy) ---------------------------
def _raw_points(points: int) -> str:
    sign = "-" if points < 0 else ""
    return f"{sign}{abs(points) // 100}.{abs(points) % 100:02d}"


def _choices(criterion) -> list[tuple[str, str, int]]:
    """(raw value typed, stored column, stored value) a member may save for `criterion`."""
    from emulation.campaigns.models import CriterionKind as K

    if criterion.kind is K.DIRECT:
        low, high = criterion.min_points, criterion.max_points
        step = max(25, (high - low) // 8 // 25 * 25)
        return [(_raw_points(p), "points", p) for p in range(low, high + 1, step)]
    if criterion.kind is K.QUANTITATIVE:
        target = criterion.target or 100
        return [(_raw_points(v), "measured", v) for v in (target // 2, target, target * 5 // 4)]
    if criterion.kind in (K.PASS_FAIL, K.VETO):
        return [("0", "measured", 0), ("1", "measured", 1)]
    return [(str(n), "measured", n) for n in (0, 1, 2)]


def prepare_board(url: str, members: int, units_each: int) -> dict:
    """A board of `members` new board members on the period in scoring, each assigned
    `units_each` units of its own; returns what the virtual members need."""
    from sqlalchemy import select

    from emulation.accounts.models import Role, RoleGrant, User
    from emulation.accounts.passwords import hash_password
    from emulation.campaigns.models import Period, PeriodStatus
    from emulation.db import utcnow
    from emulation.extensions import db
    from emulation.org.models import COMPETING_KINDS, Unit, UnitKind
    from emulation.scoring.models import Assignment, Board, BoardMember
    from emulation.scoring.sheets import leaf_criteria

    app = bench_app(url)
    with app.app_context():
        session = db.session
        period = session.scalars(
            select(Period).where(Period.status == PeriodStatus.SCORING).order_by(Period.id)
        ).first()
        root = session.scalar(select(Unit).where(Unit.kind == UnitKind.MINISTRY))
        units = session.scalars(
            select(Unit.id)
            .where(Unit.kind.in_(COMPETING_KINDS), Unit.active.is_(True))
            .order_by(Unit.path)
            .limit(members * units_each)
        ).all()
        board = Board(period=period, name=BOARD_NAME, scope_unit=root)
        session.add(board)
        password_hash, plan = hash_password(PASSWORD), []
        for n in range(members):
            user = User(
                username=f"bench.saves.{n:03d}",
                full_name=f"Benchmark member {n}",
                password_hash=password_hash,
                password_changed_at=utcnow(),
            )
            user.grants.append(RoleGrant(role=Role.BOARD_MEMBER, scope_unit=root))
            member = BoardMember(user=user)
            board.members.append(member)
            mine = [units[(n * units_each + i) % len(units)] for i in range(units_each)]
            member.assignments.extend(Assignment(unit_id=unit_id) for unit_id in mine)
            plan.append({"username": user.username, "units": mine})
        criteria = {str(c.id): _choices(c) for c in leaf_criteria(period)}
        session.commit()
        return {"period_id": period.id, "members": plan, "criteria": criteria}


# --- the virtual members --------------------------------------------------------------------
class Browser:
    """One keep-alive connection (a browser tab) with a cookie jar (shared by the tabs of
    one browser: pass the same dict)."""

    def __init__(self, base: str, cookies: dict | None = None):
        host, port = base.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.cookies = {} if cookies is None else cookies

    def request(self, method: str, path: str, form: dict | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            return 0, {}, b""
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, data

    def close(self) -> None:
        self.conn.close()


def sign_in(base: str, username: str) -> dict:
    browser = Browser(base)
    status, _h, page = browser.request("GET", "/auth/login")
    token = _CSRF_INPUT.search(page.decode()).group(1)
    form = {"csrf_token": token, "username": username, "password": PASSWORD}
    status, headers, _body = browser.request("POST", "/auth/login", form)
    browser.close()
    if status != 302 or "/auth/" in (headers.get("Location") or ""):
        raise RuntimeError(f"{username} could not sign in ({status})")
    return browser.cookies


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.saves: list[float] = []
        self.sheets: list[float] = []
        self.codes: dict[int, int] = {}
        self.accepted: list[tuple] = []  # (username, unit, criterion, raw, base, new version)
        self.pairs = 0
        self.pairs_both_accepted = 0

    def save(self, seconds: float, status: int) -> None:
        with self.lock:
            self.saves.append(seconds)
            self.codes[status] = self.codes.get(status, 0) + 1


def _post_save(browser, tally, path, token, raw, version, who):
    form = {"value": raw, "comment": COMMENT, "version": "" if version is None else version}
    form["csrf_token"] = token
    started = time.perf_counter()
    status, headers, _body = browser.request(
        "POST", path, form, {"X-CSRFToken": token, "HX-Request": "true"}
    )
    tally.save(time.perf_counter() - started, status)
    given = (headers.get("X-Sheet-Version") or "") if headers else ""
    new = int(given) if given.isdigit() else None
    if status == 200:
        with tally.lock:
            tally.accepted.append((*who, raw, version, new))
    return status, new


def _two_tabs(browsers, tally, path, token, values, version, who) -> int:
    """The same criterion saved from two tabs at once, both from `version`."""
    results: list = [None, None]

    def tab(i: int) -> None:
        results[i] = _post_save(browsers[i], tally, path, token, values[i], version, who)

    threads = [threading.Thread(target=tab, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with tally.lock:
        tally.pairs += 1
        tally.pairs_both_accepted += all(r[0] == 200 for r in results)
    news = [r[1] for r in results if r[1] is not None]
    return max(news) if news else version


def member_loop(base, plan, cookies, job, tally, stop_at, think, tab_share, seed) -> None:
    rng = random.Random(seed)
    criteria = job["criteria"]
    ids = sorted(criteria)
    jar = dict(cookies)
    browser, second = Browser(base, jar), Browser(base, jar)
    visit = 0
    while time.perf_counter() < stop_at:
        unit = plan["units"][visit % len(plan["units"])]
        visit += 1
        sheet_path = f"/scoring/periods/{job['period_id']}/units/{unit}"
        started = time.perf_counter()
        status, _h, page = browser.request("GET", sheet_path)
        with tally.lock:
            tally.sheets.append(time.perf_counter() - started)
        if status != 200:
            tally.save(0.0, status or 599)
            continue
        html = page.decode()
        token = _CSRF_META.search(html).group(1)
        found = _VERSION.search(html)
        version = int(found.group(1)) if found and found.group(1) else None
        for _n in range(5):
            if time.perf_counter() >= stop_at:
                break
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))
            criterion = rng.choice(ids)
            path = f"{sheet_path}/criteria/{criterion}"
            who = (plan["username"], unit, criterion)
            raw = rng.choice(criteria[criterion])[0]
            if version is not None and rng.random() < tab_share:
                other = rng.choice(criteria[criterion])[0]
                version = _two_tabs(
                    (browser, second), tally, path, token, (raw, other), version, who
                )
            else:
                status, new = _post_save(browser, tally, path, token, raw, version, who)
                version = new if new is not None else version
    browser.close()
    second.close()


def check_lost_updates(url: str, job: dict, accepted: list[tuple]) -> dict:
    """Compare the database with the accepted writes (see the module's docstring)."""
    stored = {
        (crit, raw): (column, value)
        for crit, choices in job["criteria"].items()
        for raw, column, value in choices
    }
    last: dict[tuple, tuple] = {}
    bases: dict[tuple, list] = {}
    for username, unit, crit, raw, base, new in accepted:
        key = (username, unit, crit)
        if new is not None and (key not in last or new > last[key][0]):
            last[key] = (new, raw)
        bases.setdefault((username, unit), []).append(base)
    duplicate = sum(len(b) - len(set(b)) for b in bases.values())
    engine = create_engine(url)
    wrong = 0
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT u.username, s.unit_id, b.criterion_id, b.points, b.measured "
                "FROM board_score b JOIN score_sheet s ON s.id = b.sheet_id "
                "JOIN user_account u ON u.id = s.scorer_id "
                "WHERE s.period_id = :p AND u.username LIKE 'bench.saves.%'"
            ),
            {"p": job["period_id"]},
        ).all()
    engine.dispose()
    actual = {(r[0], r[1], str(r[2])): {"points": r[3], "measured": r[4]} for r in rows}
    for key, (_version, raw) in last.items():
        column, value = stored[key[2], raw]
        if key not in actual or actual[key][column] != value:
            wrong += 1
    return {"checked": len(last), "wrong": wrong, "duplicate_bases": duplicate}


def _pct(values: list[float]) -> dict:
    if len(values) < 2:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0}
    q = statistics.quantiles(values, n=100)
    return {"p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000, "p99_ms": q[98] * 1000}


def measure(url: str, port: int, job: dict, seconds: float, think: float, tab_share: float):
    from benchmarks.http import Server

    server = Server(url, port)
    try:
        cookies = [sign_in(server.base, plan["username"]) for plan in job["members"]]
        tally = Tally()
        stop_at = time.perf_counter() + seconds
        threads = [
            threading.Thread(
                target=member_loop,
                args=(server.base, plan, jar, job, tally, stop_at, think, tab_share, n),
            )
            for n, (plan, jar) in enumerate(zip(job["members"], cookies, strict=True))
        ]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        server.stop()
    codes = tally.codes
    return {
        "members": len(job["members"]),
        "seconds": elapsed,
        "think_s": think,
        "saves": len(tally.saves),
        "saves_per_s": len(tally.saves) / elapsed,
        **_pct(tally.saves),
        "sheet_p95_ms": _pct(tally.sheets)["p95_ms"],
        "accepted": codes.get(200, 0),
        "conflicts": codes.get(409, 0),
        "rejected": sum(n for c, n in codes.items() if 400 <= c < 500 and c != 409),
        "errors": sum(n for c, n in codes.items() if c >= 500 or c == 0),
        "codes": {str(c): n for c, n in sorted(codes.items())},
        "pairs": tally.pairs,
        "pairs_both_accepted": tally.pairs_both_accepted,
        **{f"lost_{k}": v for k, v in check_lost_updates(url, job, tally.accepted).items()},
    }
