"""The recompute's SQL text: one INSERT … SELECT writing every standing of every scope.

Exact arithmetic with integers only, identical on SQLite and PostgreSQL. A criterion's
combined value is a fraction pnum / pden of hundredths (pden divides L = lcm(1..N), N the
most submitted sheets of one unit), so `pnum * weight * (L / pden)` is an exact integer in
units of 1 / (100 L) hundredth (the snapshot's `scale` = 100 L). Sums, caps, bands and the
tie-break chain compare these exact integers; only the stored display columns are rounded
(half away from zero, on absolute values so both databases' integer division is a floor).

Quantitative criteria: the measured values are combined the same way into xn / xd; for
"lower is better" the value is reflected around the target (2t − x), so the leader is always
the highest reflected value of the peer group (cluster, else province). The points follow
`scoring.rules.quantitative_exact`, rounded half away to the hundredth, in fractions whose
terms stay far below 2^63 (no L factor).

The scorers' rows are not read here: `criterion_result` holds them aggregated per (unit,
criterion), kept fresh by `criterion_results.sync_criterion_results` before each run."""

from __future__ import annotations

from emulation.campaigns.models import Aggregation


def rounded(expr: str) -> str:
    """Exact scaled integer -> hundredths, rounded half away from zero."""
    return (
        f"(CASE WHEN {expr} >= 0 THEN (2 * {expr} + :scale) / (2 * :scale) "
        f"ELSE -((-2 * {expr} + :scale) / (2 * :scale)) END)"
    )


AGG = """
agg AS NOT MATERIALIZED (  -- scanned where used: cheaper than a 500k-row copy

    SELECT cr.unit_id, cr.criterion_id, cr.hits, cr.m, {pnum} AS pnum, {pden} AS pden,
           {mnum} AS mnum, {mden} AS mden
    FROM criterion_result cr WHERE cr.period_id = :period_id
),"""

# Each method's exact value as pnum / pden (points) and mnum / mden (measured), from the
# statistics `criterion_results.py` keeps per (unit, criterion); `scoring.rules.aggregate`
# is the reference (trimmed mean from TRIM_FROM = 5 scorers).
METHODS = {
    Aggregation.MEAN: {
        "pnum": "cr.psum",
        "pden": "cr.n",
        "mnum": "COALESCE(cr.msum, 0)",
        "mden": "cr.m",
    },
    Aggregation.TRIMMED_MEAN: {
        "pnum": "CASE WHEN cr.n >= 5 THEN cr.psum - cr.pmax - cr.pmin ELSE cr.psum END",
        "pden": "CASE WHEN cr.n >= 5 THEN cr.n - 2 ELSE cr.n END",
        "mnum": "CASE WHEN cr.m >= 5 THEN cr.msum - cr.mmax - cr.mmin "
        "ELSE COALESCE(cr.msum, 0) END",
        "mden": "CASE WHEN cr.m >= 5 THEN cr.m - 2 ELSE cr.m END",
    },
    Aggregation.MEDIAN: {
        "pnum": "cr.pmid",
        "pden": "CASE WHEN cr.n % 2 = 0 THEN 2 ELSE 1 END",
        "mnum": "cr.mmid",
        "mden": "CASE WHEN cr.m % 2 = 0 THEN 2 ELSE 1 END",
    },
}


def aggregation_sql(method: Aggregation) -> str:
    """The CTE agg(unit_id, criterion_id, hits, m, pnum, pden, mnum, mden) of every unit
    with a submitted sheet; the steps after it keep the roster's (ranked, qv)."""
    return AGG.format(**METHODS[Aggregation(method)])


LEAF_SQL = """
WITH RECURSIVE tree(id, root_id) AS (
    SELECT id, id FROM criterion WHERE period_id = :period_id AND parent_id IS NULL
    UNION ALL
    SELECT c.id, t.root_id FROM criterion c JOIN tree t ON c.parent_id = t.id
),
leaf AS (
    SELECT c.id, r.code AS grp, c.weight_percent AS weight, c.max_points AS mx,
           COALESCE(c.target_share_percent, 100) AS sh, COALESCE(c.target, 0) AS t,
           CASE WHEN c.kind = :k_quantitative THEN 1 ELSE 0 END AS quant,
           CASE WHEN c.higher_is_better = :yes THEN 1 ELSE 0 END AS hib,
           CASE WHEN r.id <> c.id AND r.kind = :k_group AND r.max_points > 0
                THEN r.max_points ELSE 0 END AS cap,
           CASE WHEN c.kind IN :base_kinds THEN 'base'
                WHEN c.kind = :k_bonus THEN 'bonus'
                WHEN c.kind = :k_penalty THEN 'penalty'
                ELSE 'veto' END AS cat
    FROM tree t JOIN criterion c ON c.id = t.id JOIN criterion r ON r.id = t.root_id
    WHERE c.kind <> :k_group
)
"""

# The (group, category, cap) triples of a period's scored leaves, each a column below.
PAIRS_SQL = LEAF_SQL + (
    "SELECT DISTINCT grp, cat, cap FROM leaf WHERE cat <> 'veto' ORDER BY grp, cat, cap"
)


def _capped(i: int, cat: str, cap: int) -> str:
    x = f"(COALESCE(s.s{i}, 0) + COALESCE(qs.s{i}, 0))"
    if cap <= 0:
        return x
    if cat == "penalty":
        return f"CASE WHEN {x} < -{cap} * :scale THEN -{cap} * :scale ELSE {x} END"
    return f"CASE WHEN {x} > {cap} * :scale THEN {cap} * :scale ELSE {x} END"


def _sum(terms: list[str]) -> str:
    return f"CAST({' + '.join(terms)} AS BIGINT)" if terms else "CAST(0 AS BIGINT)"


def pair_sql(
    pairs: list[tuple[str, str, int]], tie_groups: dict[str, str], dialect: str
) -> tuple[dict[str, str], dict[str, str]]:
    """One column per (group, category) of the period's leaves: their sums per unit, capped,
    and what is built from them (parts, subtotals per group as JSON, tie-break group keys).
    Returns the format pieces of STANDINGS_SQL and the bind parameters of the group codes."""
    codes = sorted({grp for grp, _cat, _cap in pairs})
    params = {f"g{j}": code for j, code in enumerate(codes)}
    param_of = {code: f"g{j}" for j, code in enumerate(codes)}
    whens = " ".join(
        f"WHEN l.grp = :{param_of[grp]} AND l.cat = '{cat}' THEN {i}"
        for i, (grp, cat, _cap) in enumerate(pairs)
    )
    of_group = {code: [f"c{i}" for i, p in enumerate(pairs) if p[0] == code] for code in codes}
    of_cat = {
        cat: [f"c{i}" for i, p in enumerate(pairs) if p[1] == cat]
        for cat in ("base", "bonus", "penalty")
    }
    build = "json_build_object" if dialect == "postgresql" else "json_object"
    entries = ", ".join(
        f"CAST(:{param_of[code]} AS VARCHAR(40)), {rounded(_sum(of_group[code]))}" for code in codes
    )
    pieces = {
        "pair_case": f"CASE {whens} END" if pairs else "-1",
        "base_cols": "".join(
            f", CAST(SUM(CASE WHEN l.pair = {i} THEN a.pnum * l.weight * (:lcm / a.pden) "
            f"ELSE 0 END) AS BIGINT) AS s{i}"
            for i in range(len(pairs))
        ),
        "quant_cols": "".join(
            f", CAST(SUM(CASE WHEN l.pair = {i} THEN q.pts * l.weight * :lcm ELSE 0 END) "
            f"AS BIGINT) AS s{i}"
            for i in range(len(pairs))
        ),
        "capped_cols": "".join(
            f", {_capped(i, cat, cap)} AS c{i}" for i, (_grp, cat, cap) in enumerate(pairs)
        ),
        "xbase": _sum(of_cat["base"]),
        "xbonus": _sum(of_cat["bonus"]),
        "xpenalty": _sum(of_cat["penalty"]),
        "subtotals": f"{build}({entries})",
        "pivots": "".join(
            f", {_sum(of_group.get(key.partition(':')[2], []))} AS {col}"
            for key, col in tie_groups.items()
        ),
        "pivot_cols": "".join(f", p.{col}" for col in tie_groups.values()),
    }
    return pieces, params


STANDINGS_SQL = (
    LEAF_SQL
    + """,
-- Materialized: 50 rows computed once, not per (unit, criterion) row.
leafp AS MATERIALIZED (SELECT l.*, {pair_case} AS pair FROM leaf l),
roster AS (
    SELECT unit_id, code, name, kind, province_code, cluster_code,
           CASE WHEN cluster_code IS NOT NULL THEN 'c:' || cluster_code
                ELSE 'p:' || COALESCE(province_code, '') END AS peer,
           'p:' || COALESCE(province_code, '') AS province_pool
    FROM roster_entry WHERE period_id = :period_id
),
ranked AS (
    SELECT DISTINCT s.unit_id FROM score_sheet s
    JOIN roster_entry re ON re.period_id = :period_id AND re.unit_id = s.unit_id
    WHERE s.period_id = :period_id AND s.status = :submitted
),
{aggregation}
qv AS (
    SELECT a.unit_id, a.criterion_id, r.peer, r.province_pool, l.mx, l.sh, l.t, a.mden AS xd,
           CASE WHEN l.hib = 1 THEN a.mnum ELSE 2 * l.t * a.mden - a.mnum END AS xn
    FROM agg a JOIN leafp l ON l.id = a.criterion_id JOIN roster r ON r.unit_id = a.unit_id
    WHERE l.quant = 1 AND a.m > 0
),
lead AS (
    SELECT peer, criterion_id, yn, yd FROM (
        SELECT peer, criterion_id, xn AS yn, xd AS yd,
               ROW_NUMBER() OVER (PARTITION BY peer, criterion_id
                                  ORDER BY xn * (:lcm / xd) DESC) AS pos
        FROM (
            SELECT peer, criterion_id, xn, xd FROM qv
            UNION ALL  -- a clustered unit also competes in its province's pool
            SELECT province_pool, criterion_id, xn, xd FROM qv WHERE peer <> province_pool
        ) pool
    ) best WHERE pos = 1
),
qp AS (
    SELECT q.unit_id, q.criterion_id,
           CASE WHEN q.xn <= 0 THEN 0
                WHEN q.xn < q.t * q.xd
                    THEN (2 * q.mx * q.sh * q.xn + 100 * q.t * q.xd) / (200 * q.t * q.xd)
                WHEN d.yn <= q.t * d.yd THEN (2 * q.mx * q.sh + 100) / 200
                WHEN q.xn * d.yd >= d.yn * q.xd THEN q.mx
                ELSE (2 * (q.mx * q.sh * (d.yn - q.t * d.yd) * q.xd
                           + q.mx * (100 - q.sh) * (q.xn - q.t * q.xd) * d.yd)
                      + 100 * q.xd * (d.yn - q.t * d.yd))
                     / (200 * q.xd * (d.yn - q.t * d.yd)) END AS pts
    FROM qv q JOIN lead d ON d.peer = q.peer AND d.criterion_id = q.criterion_id
),
base_sums AS (  -- rows in (unit, criterion) order: a streaming GROUP BY
    SELECT a.unit_id{base_cols}
    FROM agg a JOIN leafp l ON l.id = a.criterion_id
    WHERE l.cat <> 'veto' AND l.quant = 0
    GROUP BY a.unit_id
),
quant_sums AS (  -- quantitative criteria without a measured value score 0: no row
    SELECT q.unit_id{quant_cols}
    FROM qp q JOIN leafp l ON l.id = q.criterion_id
    GROUP BY q.unit_id
),
capped AS (
    SELECT r.unit_id{capped_cols} FROM ranked r
    LEFT JOIN base_sums s ON s.unit_id = r.unit_id
    LEFT JOIN quant_sums qs ON qs.unit_id = r.unit_id
),
parts AS (
    SELECT unit_id, {xbase} AS xbase, {xbonus} AS xbonus, {xpenalty} AS xpenalty,
           {subtotals} AS subtotals{pivots}
    FROM capped
),
decided AS (
    SELECT unit_id, MAX(CASE WHEN vetoed = :yes THEN 1 ELSE 0 END) AS vetoed
    FROM veto_decision WHERE period_id = :period_id GROUP BY unit_id
),
review AS (
    SELECT a.unit_id, 1 AS flagged FROM agg a JOIN leafp l ON l.id = a.criterion_id
    LEFT JOIN veto_decision d ON d.period_id = :period_id AND d.unit_id = a.unit_id
         AND d.criterion_id = a.criterion_id
    WHERE l.cat = 'veto' AND a.hits > 0 AND d.id IS NULL
    GROUP BY a.unit_id
),
unit_row AS (
    SELECT p.unit_id, ro.kind, ro.province_code, ro.cluster_code,
           p.xbase, p.xbonus, p.xpenalty, p.xbase + p.xbonus + p.xpenalty AS xtotal,
           COALESCE(dv.vetoed, 0) AS vetoed,
           CASE WHEN COALESCE(dv.vetoed, 0) = 0 AND rv.flagged = 1 THEN 1 ELSE 0 END AS review,
           p.subtotals{pivot_cols}
    FROM parts p JOIN roster ro ON ro.unit_id = p.unit_id
    LEFT JOIN decided dv ON dv.unit_id = p.unit_id
    LEFT JOIN review rv ON rv.unit_id = p.unit_id
),
national AS (
    SELECT ur.*, {kind_value} AS kind_value,
           RANK() OVER (PARTITION BY ur.vetoed ORDER BY {national_order}) AS nrank,
           CASE WHEN ur.vetoed = 1 THEN :c_not_completed
                WHEN ur.xtotal >= :band_excellent THEN :c_excellent
                WHEN ur.xtotal >= :band_good THEN :c_good
                WHEN ur.xtotal >= :band_completed THEN :c_completed
                ELSE :c_not_completed END AS band
    FROM unit_row ur
),
counted AS (
    SELECT n.*,
           COUNT(CASE WHEN n.band IN (:c_excellent, :c_good) THEN 1 END) OVER () AS gob,
           COUNT(*) OVER (PARTITION BY n.band ORDER BY n.nrank) AS band_pos
    FROM national n
),
classified AS (SELECT c.*, {classification} AS classification FROM counted c),
scoped AS (
    SELECT :s_national AS scope_type, 'all' AS scope_key, c.* FROM classified c
    UNION ALL
    SELECT :s_province, c.province_code, c.* FROM classified c WHERE c.province_code IS NOT NULL
    UNION ALL
    SELECT :s_cluster, c.cluster_code, c.* FROM classified c WHERE c.cluster_code IS NOT NULL
    UNION ALL
    SELECT :s_kind, c.kind_value, c.* FROM classified c
)
INSERT INTO standing (snapshot_id, unit_id, scope_type, scope_key, total, base, bonus, penalty,
                      group_subtotals, rank, previous_rank, classification, vetoed,
                      under_review, exact_total)
SELECT :snapshot_id, x.unit_id, x.scope_type, x.scope_key, {r_total}, {r_base}, {r_bonus},
       {r_penalty}, COALESCE(x.subtotals, '{{}}'),
       CASE WHEN x.vetoed = 1
            THEN COUNT(CASE WHEN x.vetoed = 0 THEN 1 END)
                     OVER (PARTITION BY x.scope_type, x.scope_key) + 1
            ELSE RANK() OVER (PARTITION BY x.scope_type, x.scope_key, x.vetoed
                              ORDER BY {scope_order}) END,
       CASE WHEN prev.vetoed = :yes THEN NULL ELSE prev.rank END, x.classification,
       CASE WHEN x.vetoed = 1 THEN :yes ELSE :no END,
       CASE WHEN x.review = 1 THEN :yes ELSE :no END, x.xtotal
FROM scoped x
LEFT JOIN standing prev ON prev.snapshot_id = :previous_id AND prev.scope_type = x.scope_type
     AND prev.scope_key = x.scope_key AND prev.unit_id = x.unit_id
"""
)
