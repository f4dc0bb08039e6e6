#!/usr/bin/env python3
"""The kept meeting figures beside DuckDB recomputing them from the raw rows (issue 16).

In one run, on one SQLite database loaded by `chibo demo`:

- chibo answers the compliance figures of an organisation and its children for a month, a
  quarter and a year (`GET /api/v1/orgs/{id}/meeting-figures?period=…` on `chibo serve`,
  timed as a client waits for them: from the kept rows `meeting_rollup`);
- DuckDB (from PyPI, in memory) gets the raw rows — the tree's dated links, the cells, the held
  meetings and every attendance line — and recomputes the same figures with one SQL query per
  request: each cell's active interval from its links, the day its figures are attributed on
  (the last day of the period it existed), its ancestors on that day, the months and quarters
  it owed a meeting (the rules' effective dates, the period's `through` day), and the
  attendance counted from the lines, not from the meetings' totals.

It prints, per level and period, the p50 of each side, the ratio (goal: chibo at least 10×
faster) and whether every number of the organisation and of each child is equal.

    cargo build --release -p chibo
    pip install duckdb
    python3 scripts/figures-vs-duckdb.py --bin target/release/chibo --scale province

With --db URL an existing database is used (loaded with `chibo demo --demo-passwords`; its
`admin`'s second factor is reset and enrolled again); with --pg URL a fresh PostgreSQL database `chibo_duck` is
loaded on that server (and dropped again unless --keep).
"""

import datetime
import sys

import duckbench
from duckbench import hexid, timed

# The rules' effective dates (domain/src/rules.rs): a month owes a regular meeting when it
# starts on or after the rule in force; a quarter a thematic one.
REGULAR_FROM = datetime.date(2011, 1, 19)
THEMATIC_FROM = datetime.date(2018, 7, 6)


def raw_tables(engine):
    """(name, query, DuckDB columns) of the raw rows the figures come from."""
    h = lambda c: duckbench.sql_hex(engine, c)  # noqa: E731
    exempt = "exempt" if engine == "sqlite" else "exempt::int"
    return [
        duckbench.links_table(engine),
        ("orgs", f"SELECT {h('id')}, kind, name FROM orgs", "id TEXT, kind TEXT, name TEXT"),
        ("meetings", f"SELECT {h('id')}, {h('cell_id')}, kind, held_on, rating FROM meetings "
                     "WHERE status IN ('held', 'approved')",
         "id TEXT, cell_id TEXT, kind TEXT, held_on DATE, rating TEXT"),
        ("lines", f"SELECT {h('meeting_id')}, mark, {exempt} FROM meeting_attendance",
         "meeting_id TEXT, mark TEXT, exempt BOOLEAN"),
        ("periods", "SELECT period, through FROM meeting_periods", "period TEXT, through DATE"),
    ]


def month_start(y, m):
    return datetime.date(y + (m - 1) // 12, (m - 1) % 12 + 1, 1)


def period_of(code):
    """[from, to) of a standard period code: 2025, 2025-Q3, 2025-10."""
    if "-Q" in code:
        y, q = code.split("-Q")
        return month_start(int(y), 3 * int(q) - 2), month_start(int(y), 3 * int(q) + 1)
    if "-" in code:
        y, m = code.split("-")
        return month_start(int(y), int(m)), month_start(int(y), int(m) + 1)
    return datetime.date(int(code), 1, 1), datetime.date(int(code) + 1, 1, 1)


def units(start, end, months, rule_from):
    """The whole runs of `months` months (starting at months ≡ 1 mod months) inside [start, end)
    whose first day has the rule in force."""
    out = []
    d = start
    while d < end:
        if (d.month - 1) % months == 0:
            e = month_start(d.year, d.month + months)
            if e <= end and d >= rule_from:
                out.append((d, e))
        d = month_start(d.year, d.month + 1)
    return out


FIGURES = """
WITH cell_span AS (
    SELECT o.id AS cell,
           CASE WHEN bool_or(l.from_on IS NULL) THEN NULL ELSE min(l.from_on) END AS c_from,
           CASE WHEN bool_or(l.to_on IS NULL) THEN NULL ELSE max(l.to_on) END AS c_to
    FROM orgs o JOIN links l ON l.org_id = o.id
    WHERE o.kind IN ('base_cell', 'subordinate_cell') GROUP BY o.id),
placed AS (
    SELECT cell, c_from, c_to,
           CAST(least(coalesce(c_to, $to), $to) - INTERVAL 1 DAY AS DATE) AS as_of
    FROM cell_span
    WHERE greatest(coalesce(c_from, $from), $from) < least(coalesce(c_to, $to), $to)),
held AS (SELECT * FROM meetings WHERE held_on >= $from AND held_on < $to),
counted AS (
    SELECT l.meeting_id,
           count(*) FILTER (WHERE l.mark = 'present' AND NOT l.exempt) AS present,
           count(*) FILTER (WHERE (l.mark = 'present' AND NOT l.exempt) OR l.mark IN ('excused', 'unexcused')) AS base
    FROM lines l JOIN held h ON h.id = l.meeting_id GROUP BY l.meeting_id),
unit_list AS (SELECT * FROM (VALUES {units}) AS u(kind, u_from, u_to)),
owed AS (
    SELECT p.cell, u.kind, u.u_to,
           EXISTS (SELECT 1 FROM held h WHERE h.cell_id = p.cell AND h.held_on >= u.u_from AND h.held_on < u.u_to
                   AND ((u.kind = 'regular' AND h.kind IN ('regular', 'combined'))
                     OR (u.kind = 'thematic' AND h.kind IN ('thematic', 'combined')))) AS had
    FROM placed p JOIN unit_list u
      ON (p.c_from IS NULL OR p.c_from <= u.u_from) AND (p.c_to IS NULL OR u.u_to <= p.c_to)),
owed_by_cell AS (
    SELECT cell,
           count(*) FILTER (WHERE kind = 'regular' AND (u_to <= $through OR had)) AS r_owed,
           count(*) FILTER (WHERE kind = 'regular' AND had) AS r_held,
           count(*) FILTER (WHERE kind = 'thematic' AND (u_to <= $through OR had)) AS t_owed,
           count(*) FILTER (WHERE kind = 'thematic' AND had) AS t_held
    FROM owed GROUP BY cell),
meetings_by_cell AS (
    SELECT h.cell_id AS cell, count(*) AS meetings, coalesce(sum(c.present), 0) AS present,
           coalesce(sum(c.base), 0) AS base,
           count(*) FILTER (WHERE h.rating = 'good') AS good, count(*) FILTER (WHERE h.rating = 'fair') AS fair,
           count(*) FILTER (WHERE h.rating = 'average') AS average,
           count(*) FILTER (WHERE h.rating = 'poor') AS poor, count(*) FILTER (WHERE h.rating IS NULL) AS unrated
    FROM held h LEFT JOIN counted c ON c.meeting_id = h.id
    WHERE h.kind <> 'committee' GROUP BY h.cell_id),
tally AS (
    SELECT p.cell, p.as_of,
           coalesce(o.r_owed, 0) AS r_owed, coalesce(o.r_held, 0) AS r_held,
           coalesce(o.t_owed, 0) AS t_owed, coalesce(o.t_held, 0) AS t_held,
           coalesce(m.meetings, 0) AS meetings, coalesce(m.present, 0) AS present, coalesce(m.base, 0) AS base,
           coalesce(m.good, 0) AS good, coalesce(m.fair, 0) AS fair, coalesce(m.average, 0) AS average,
           coalesce(m.poor, 0) AS poor, coalesce(m.unrated, 0) AS unrated
    FROM placed p LEFT JOIN owed_by_cell o ON o.cell = p.cell LEFT JOIN meetings_by_cell m ON m.cell = p.cell),
RECURSIVE_PLACEHOLDER
SELECT a.org,
       count(*) FILTER (WHERE t.r_owed > 0) AS regular_cells,
       count(*) FILTER (WHERE t.r_owed > 0 AND t.r_held = t.r_owed) AS regular_met,
       count(*) FILTER (WHERE t.t_owed > 0) AS thematic_cells,
       count(*) FILTER (WHERE t.t_owed > 0 AND t.t_held = t.t_owed) AS thematic_met,
       sum(t.meetings) AS meetings, sum(t.present) AS present, sum(t.base) AS base,
       sum(t.good) AS good, sum(t.fair) AS fair, sum(t.average) AS average, sum(t.poor) AS poor,
       sum(t.unrated) AS unrated
FROM above a JOIN tally t ON t.cell = a.cell
WHERE a.org IN ({targets})
GROUP BY a.org
"""

# The cell and its ancestors on the day its figures are attributed on, climbing the links that
# cover that day.
ABOVE = """above(cell, as_of, org) AS (
    SELECT cell, as_of, cell FROM tally
    UNION ALL
    SELECT a.cell, a.as_of, l.parent_id FROM above a
    JOIN links l ON l.org_id = a.org AND l.parent_id IS NOT NULL
     AND (l.from_on IS NULL OR l.from_on <= a.as_of) AND (l.to_on IS NULL OR a.as_of < l.to_on))
"""

FIELDS = ["regular_cells", "regular_met", "thematic_cells", "thematic_met", "meetings", "present", "base",
          "good", "fair", "average", "poor", "unrated"]


def duck_figures(duck, code, through, targets):
    start, end = period_of(code)
    us = [("regular", a, b) for a, b in units(start, end, 1, REGULAR_FROM)]
    us += [("thematic", a, b) for a, b in units(start, end, 3, THEMATIC_FROM)]
    values = ", ".join(f"('{k}', DATE '{a}', DATE '{b}')" for k, a, b in us) or "('none', DATE '1900-01-01', DATE '1900-01-01')"
    sql = FIGURES.replace("RECURSIVE_PLACEHOLDER", ABOVE).replace("{units}", values)
    sql = sql.replace("{targets}", ", ".join(f"'{t}'" for t in targets))
    sql = sql.replace("WITH cell_span", "WITH RECURSIVE cell_span", 1)
    rows = duck.execute(sql, {"from": start, "to": end, "through": through}).fetchall()
    return {r[0]: dict(zip(FIELDS, r[1:])) for r in rows}


def chibo_figures(body):
    """The API's figures as the same twelve numbers."""
    rating = {r["rating"]: r["count"] for r in body["ratings"]}
    return {
        "regular_cells": body["regular"]["den"], "regular_met": body["regular"]["num"],
        "thematic_cells": body["thematic"]["den"], "thematic_met": body["thematic"]["num"],
        "meetings": body["meetings"], "present": body["attendance"]["num"], "base": body["attendance"]["den"],
        "good": rating.get("good", 0), "fair": rating.get("fair", 0), "average": rating.get("average", 0),
        "poor": rating.get("poor", 0), "unrated": body["unrated"],
    }


def compare(duck, client, org, code, runs):
    body, c50, c95 = timed(lambda: client.call("GET", f"/api/v1/orgs/{org}/meeting-figures?period={code}"), runs)
    kept = {hexid(body["org"]["id"]): chibo_figures(body["figures"])}
    kept.update({hexid(ch["org_id"]): chibo_figures(ch["figures"]) for ch in body["children"]})
    through = dict(duck.execute("SELECT period, through FROM periods").fetchall())
    if code not in through:
        sys.exit(f"period {code} is not opened in this database")
    computed, d50, d95 = timed(lambda: duck_figures(duck, code, through[code], list(kept)), runs)
    zero = dict.fromkeys(FIELDS, 0)
    wrong = [f"{o}: chibo {kept[o]} DuckDB {computed.get(o, zero)}" for o in kept if kept[o] != computed.get(o, zero)]
    return (c50, c95), (d50, d95), len(kept), wrong


if __name__ == "__main__":
    duckbench.run(__doc__, raw_tables, compare, "orgs compared")
