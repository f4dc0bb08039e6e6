#!/usr/bin/env python3
"""The statistics report's kept figures beside DuckDB recomputing them from the raw rows
(issue 16).

In one run, on one database loaded by `chibo demo`:

- chibo answers the report of an organisation (`GET /api/v1/orgs/{id}/report?period=…` on
  `chibo serve`, timed as a client waits for it): the structure of its members today (from the
  counts kept per organisation, dimension and value), the changes of a month, a quarter or a
  year (from the changes kept per organisation and month), and its organisations by kind today
  (kept per organisation);
- DuckDB (from PyPI, in memory) gets the raw rows — the member records, their events and home
  spans, the tree's dated links, the organisations — and recomputes the same numbers with SQL:
  the members on the rolls under the organisation's path grouped per dimension (age and party
  age banded in full years on the report's day, free text folded as the report folds it); each
  change event of the period (voided events and annulled expulsions left out) placed where
  chibo's rules place it (an arrival where it puts the member, an ending where the home span it
  closes was, a recognition where the member is that day, a transfer within the subtree neither
  in nor out, a member back from outside the installation transferred in) and counted in the organisations above that place on the event's day.

It prints, per level and period, the p50 of each side, the ratio (goal: chibo at least 10×
faster) and whether every number is equal. The home spans DuckDB places the changes with are
the replay of the events that chibo keeps (`chibo check` recomputes them from the events).

    cargo build --release -p chibo
    pip install duckdb
    python3 scripts/report-vs-duckdb.py --bin target/release/chibo --scale province
"""

import datetime
import unicodedata

import duckbench
from duckbench import hexid, timed

KINH = 1
AGE_BANDS = [(0, "to30"), (31, "31_40"), (41, "41_50"), (51, "51_60"), (61, "61_70"), (71, "over70")]
PARTY_AGE_BANDS = [(0, "under10"), (10, "10_19"), (20, "20_29"), (30, "30_39"), (40, "40_49"), (50, "50plus")]
YOUNG_MAX_AGE = 30


def raw_tables(engine):
    h = lambda c: duckbench.sql_hex(engine, c)  # noqa: E731
    form = "json_extract(detail, '$.form')" if engine == "sqlite" else "(detail::json ->> 'form')"
    return [
        duckbench.links_table(engine),
        ("orgs", f"SELECT {h('id')}, path, kind, dissolved_on FROM orgs",
         "id TEXT, path TEXT, kind TEXT, dissolved_on DATE"),
        ("members", f"SELECT {h('id')}, org_path, status, {h('transit_org_id')}, gender, birth_date, ethnicity_code, "
                    "religion, general_education, professional_education, theory_level, occupation, admission_date "
                    "FROM members",
         "id TEXT, org_path TEXT, status TEXT, transit TEXT, gender TEXT, birth_date DATE, ethnicity_code INTEGER, "
         "religion TEXT, general_education TEXT, professional_education TEXT, theory_level TEXT, occupation TEXT, "
         "admission_date DATE"),
        ("events", f"SELECT {h('id')}, {h('member_id')}, kind, effective_on, {h('org_id')}, {h('ref_id')}, {form} "
                   "FROM member_events",
         "id TEXT, member_id TEXT, kind TEXT, effective_on DATE, org_id TEXT, ref_id TEXT, form TEXT"),
        ("spans", f"SELECT {h('member_id')}, {h('org_id')}, from_on, to_on FROM member_spans WHERE kind = 'home'",
         "member_id TEXT, org_id TEXT, from_on DATE, to_on DATE"),
    ]


def full_years(column):
    """Full years from `column` to $on, in SQL."""
    return (f"(year($on) - year({column}) - CASE WHEN month($on) * 100 + day($on) < "
            f"month({column}) * 100 + day({column}) THEN 1 ELSE 0 END)")


def band(column, bands):
    cases = " ".join(f"WHEN {full_years(column)} >= {start} THEN '{key}'" for start, key in reversed(bands))
    return f"CASE {cases} END"


STRUCTURE = """
WITH m AS (SELECT * FROM members WHERE starts_with(org_path, $path)
           AND status IN ('official', 'probationary') AND transit IS NULL)
SELECT 'status', status, count(*) FROM m GROUP BY 2
UNION ALL SELECT 'gender', gender, count(*) FROM m GROUP BY 2
UNION ALL SELECT 'age', {age}, count(*) FROM m GROUP BY 2
UNION ALL SELECT 'ethnicity', CAST(ethnicity_code AS TEXT), count(*) FROM m GROUP BY 2
UNION ALL SELECT 'religion', coalesce(religion, ''), count(*) FROM m GROUP BY 2
UNION ALL SELECT 'general_education', coalesce(general_education, ''), count(*) FROM m GROUP BY 2
UNION ALL SELECT 'professional_education', coalesce(professional_education, ''), count(*) FROM m GROUP BY 2
UNION ALL SELECT 'theory_level', theory_level, count(*) FROM m GROUP BY 2
UNION ALL SELECT 'occupation', coalesce(occupation, ''), count(*) FROM m GROUP BY 2
UNION ALL SELECT 'party_age', {party}, count(*) FROM m GROUP BY 2
UNION ALL SELECT 'org_kind', kind, count(*) FROM orgs
          WHERE starts_with(path, $path) AND path <> $path AND dissolved_on IS NULL GROUP BY 2
""".format(age=band("birth_date", AGE_BANDS), party=band("admission_date", PARTY_AGE_BANDS))

CHANGES_SQL = """
WITH RECURSIVE
live AS (SELECT * FROM events WHERE id NOT IN (SELECT ref_id FROM events WHERE kind = 'voided' AND ref_id IS NOT NULL)),
ev AS (
    SELECT id, member_id, org_id, effective_on AS on_,
           CASE kind WHEN 'disciplined' THEN 'expelled' ELSE kind END AS change
    FROM live
    WHERE effective_on >= $from AND effective_on < $to
      AND kind IN ('admitted', 'recognized', 'transferred_in', 'transferred_out', 'readmitted', 'died', 'left',
                   'struck_off', 'disciplined')
      AND (kind <> 'disciplined' OR (form = 'expulsion'
           AND id NOT IN (SELECT ref_id FROM live WHERE kind = 'expulsion_cleared' AND ref_id IS NOT NULL)))),
placed AS (
    SELECT ev.id, ev.member_id, ev.change, ev.on_,
           CASE WHEN ev.change IN ('admitted', 'readmitted', 'transferred_in') THEN ev.org_id
                WHEN ev.change = 'recognized' THEN
                    (SELECT min(s.org_id) FROM spans s WHERE s.member_id = ev.member_id AND s.from_on <= ev.on_
                     AND (s.to_on IS NULL OR ev.on_ < s.to_on))
                ELSE (SELECT min(s.org_id) FROM spans s WHERE s.member_id = ev.member_id AND s.to_on = ev.on_)
           END AS counted,
           CASE WHEN ev.change = 'transferred_in'
                     AND (SELECT arg_max(o.org_id IS NOT NULL, o.effective_on) FROM live o
                          WHERE o.member_id = ev.member_id AND o.kind = 'transferred_out' AND o.effective_on <= ev.on_) THEN
                    (SELECT arg_max(s.org_id, s.to_on) FROM spans s WHERE s.member_id = ev.member_id
                     AND s.to_on <= ev.on_)
                WHEN ev.change = 'transferred_out' THEN ev.org_id
           END AS other
    FROM ev),
up(id, side, on_, org) AS (
    SELECT id, 'counted', on_, counted FROM placed WHERE counted IS NOT NULL
    UNION ALL SELECT id, 'other', on_, other FROM placed WHERE other IS NOT NULL
    UNION ALL
    SELECT u.id, u.side, u.on_, l.parent_id FROM up u
    JOIN links l ON l.org_id = u.org AND l.parent_id IS NOT NULL
     AND (l.from_on IS NULL OR l.from_on <= u.on_) AND (l.to_on IS NULL OR u.on_ < l.to_on)),
here AS (
    SELECT DISTINCT p.id, p.member_id, p.change, p.on_ FROM placed p JOIN up c ON c.id = p.id AND c.side = 'counted'
    WHERE c.org = $org
      AND NOT EXISTS (SELECT 1 FROM up o WHERE o.id = p.id AND o.side = 'other' AND o.org = $org))
SELECT h.change, count(*),
       count(*) FILTER (WHERE h.change = 'admitted' AND {young} <= {young_max}),
       count(*) FILTER (WHERE h.change = 'admitted' AND m.gender = 'female'),
       count(*) FILTER (WHERE h.change = 'admitted' AND m.ethnicity_code <> {kinh})
FROM here h JOIN members m ON m.id = h.member_id GROUP BY h.change
""".format(young=full_years("m.birth_date").replace("$on", "h.on_"), young_max=YOUNG_MAX_AGE, kinh=KINH)


def fold(s):
    """As the report folds free text: lower case, no diacritics (đ → d), no punctuation, words by
    single spaces."""
    s = unicodedata.normalize("NFD", s.lower().replace("đ", "d"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join("".join(c for c in s if c.isalnum() or c.isspace()).split())


def keyed(dim, value):
    """The report's row key of a value of a dimension (the sums of the folded free text)."""
    if dim == "religion":
        f = fold(value)
        return "none" if f in ("", "khong", "khong co", "none") else f
    if dim in ("general_education", "professional_education", "occupation"):
        return fold(value)
    return value


def duck_report(duck, path, org, on, start, end):
    """The numbers of the report as {section/key: count}, zeros left out."""
    out = {}

    def add(k, n):
        if n:
            out[k] = out.get(k, 0) + n

    for dim, value, n in duck.execute(STRUCTURE, {"path": path, "on": on}).fetchall():
        if dim == "ethnicity":
            code = int(value)
            add("ethnicity/kinh" if code == KINH else "ethnicity/minority", n)
            if code != KINH:
                add(f"ethnicity/eth:{code}", n)
        else:
            add(f"{dim}/{keyed(dim, value)}", n)
        if dim == "status":
            add("total/all", n)
    rows = duck.execute(CHANGES_SQL, {"org": org, "from": start, "to": end}).fetchall()
    for change, n, young, female, minority in rows:
        add(f"changes/{change}", n)
        add("changes/admitted_young", young)
        add("changes/admitted_female", female)
        add("changes/admitted_minority", minority)
    return out


def chibo_report(body):
    out = {"total/all": body["total"]} if body["total"] else {}
    for s in body["structure"]:
        for r in s["rows"]:
            if r["count"]:
                out[f"{s['key']}/{r['key']}"] = r["count"]
    for c in body["changes"]:
        if c["count"]:
            out[f"changes/{c['key']}"] = c["count"]
    for k, n in body["admitted"].items():
        if n:
            out[f"changes/admitted_{k}"] = n
    for r in body["orgs"]["by_kind"]:
        if r["count"]:
            out[f"org_kind/{r['key']}"] = r["count"]
    return out


def compare(duck, client, org, code, runs):
    body, c50, c95 = timed(lambda: client.call("GET", f"/api/v1/orgs/{org}/report?period={code}"), runs)
    path = duck.execute("SELECT path FROM orgs WHERE id = $id", {"id": hexid(org)}).fetchone()[0]
    on = datetime.date.fromisoformat(body["on"])
    start = datetime.date.fromisoformat(body["period"]["from"])
    end = datetime.date.fromisoformat(body["period"]["to"]) + datetime.timedelta(days=1)
    kept = chibo_report(body)
    computed, d50, d95 = timed(lambda: duck_report(duck, path, hexid(org), on, start, end), runs)
    wrong = [f"{body['org_name']} {k}: chibo {kept.get(k, 0)} DuckDB {computed.get(k, 0)}"
             for k in sorted(kept.keys() | computed.keys()) if kept.get(k, 0) != computed.get(k, 0)]
    return (c50, c95), (d50, d95), len(kept), wrong


if __name__ == "__main__":
    duckbench.run(__doc__, raw_tables, compare, "numbers compared")
