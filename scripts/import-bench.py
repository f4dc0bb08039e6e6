#!/usr/bin/env python3
"""Import speed beside the demo loader's, in one run (issue "data in and out").

1. `chibo demo --scale S` into a fresh database (SQLite, or PostgreSQL with `--pg URL`, which
   names the server: the script makes its own databases there); the loader prints its members
   stage (members/s): the figure the import is compared with.
2. `chibo export members` of the root: the registry in the import template (.xlsx).
3. A file of N rows made from it, every citizen ID and party card number replaced by one that no
   member holds (so that every row imports as a new member of the same cells).
4. `chibo import members --dry-run`, then the import itself, each timed with its peak memory.
5. `chibo check`: the counters, the ledger and every kept figure still equal their recounts.

Needs openpyxl (`pip install openpyxl`). Goal: N = 200,000 rows checked in under a minute and
imported at no less than half the loader's members/s (docs/BENCHMARKS.md).

    scripts/import-bench.py --bin target/release/chibo --scale province --rows 200000
    scripts/import-bench.py --bin target/release/chibo --pg postgres://postgres@127.0.0.1:5432/postgres
"""

import argparse
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid


def run(cmd, log):
    """Run, echo the output to `log`, return (seconds, peak RSS in MB, stdout)."""
    t = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-f", "PEAK_KB %M"] + cmd, capture_output=True, text=True)
    spent = time.monotonic() - t
    log.write(p.stdout + p.stderr)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}")
    peak = int(re.search(r"PEAK_KB (\d+)", p.stderr).group(1)) / 1024
    return spent, peak, p.stdout


class Db:
    """The benchmark's database: an SQLite file in the run's folder, or a database of its own on a
    PostgreSQL server; `before` is the copy taken after the file is made (`--again` starts
    from it)."""

    def __init__(self, folder, pg):
        self.pg = pg
        if pg:
            base = pg.rsplit("/", 1)[0]
            self.url, self.before = base + "/chibo_import_bench", base + "/chibo_import_before"
        else:
            self.url = "sqlite://" + os.path.join(folder, "bench.db")
            self.before = "sqlite://" + os.path.join(folder, "before.db")

    def rows(self, query):
        if self.pg:
            out = subprocess.run(["psql", "-d", self.url, "-Atc", query], capture_output=True, text=True, check=True)
            return [line.split("|") for line in out.stdout.splitlines()]
        con = sqlite3.connect(f"file:{self.url[len('sqlite://'):]}?mode=ro", uri=True)
        return [[str(uuid.UUID(bytes=v)) if isinstance(v, bytes) else v for v in r] for r in con.execute(query)]

    def fresh(self):
        if self.pg:
            for url in (self.url, self.before):
                drop(self.pg, url)
            admin(self.pg, f"CREATE DATABASE {self.url.rsplit('/', 1)[1]}")
        else:
            for path in (self.url, self.before):
                remove_file(path[len("sqlite://") :])

    def copy(self, src, dst):
        """A consistent copy of the database `src` as `dst` (URLs)."""
        if self.pg:
            drop(self.pg, dst)
            admin(self.pg, f"CREATE DATABASE {dst.rsplit('/', 1)[1]} TEMPLATE {src.rsplit('/', 1)[1]}")
            return
        src, dst = src[len("sqlite://") :], dst[len("sqlite://") :]
        remove_file(dst)
        with sqlite3.connect(src) as s, sqlite3.connect(dst) as d:
            s.backup(d)


def admin(pg, statement):
    subprocess.run(["psql", "-d", pg, "-qc", statement], check=True, capture_output=True)


def drop(pg, url):
    admin(pg, f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]}")


def remove_file(path):
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(path + ext):
            os.remove(path + ext)


def make_file(export, out, n, db):
    """`n` rows from the export, cycling, with identifiers no member of `db` holds."""
    import openpyxl

    rows = list(openpyxl.load_workbook(export, read_only=True).active.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r and r[0] == "Họ")
    header, data = rows[at], rows[at + 1 :]
    ci, pi = header.index("Số CCCD"), header.index("Số thẻ đảng viên")
    used_c = {r[0] for r in db.rows("SELECT citizen_id FROM members WHERE citizen_id IS NOT NULL")}
    used_p = {r[0] for r in db.rows("SELECT party_card_number FROM members WHERE party_card_number IS NOT NULL")}
    rnd = random.Random(7)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(header))
    for k in range(n):
        r = list(data[k % len(data)])
        if r[ci]:
            while (c := r[ci][:6] + "%06d" % rnd.randrange(10**6)) in used_c:
                pass
            used_c.add(c)
            r[ci] = c
        if r[pi]:
            while (p := "%08d" % rnd.randrange(10**8)) in used_p:
                pass
            used_p.add(p)
            r[pi] = p
        sheet.append(r)
    book.save(out)


# The parts of the loader's last step that finish the members' rows: what the import writes as it
# goes and the loader leaves to the end (crates/cli/src/load.rs prints each part).
MEMBER_PARTS = (
    "indexes of members",
    "indexes of member_words",
    "indexes of member_events",
    "indexes of member_spans",
    "counters",
    "kept structure",
    "kept changes",
)


def members_finishing(out):
    """Seconds of the loader's last step spent on the members' indexes and kept figures."""
    spent = dict((k, float(v)) for k, v in re.findall(r"^  (.+): ([\d.]+) s$", out, re.M))
    missing = [p for p in MEMBER_PARTS if p not in spent]
    if missing:
        sys.exit(f"the loader did not print {missing}")
    return sum(spent[p] for p in MEMBER_PARTS)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/chibo")
    ap.add_argument("--scale", default="province")
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--dir", default="/tmp/chibo-import-bench")
    ap.add_argument("--keep", action="store_true", help="keep the database and files")
    ap.add_argument(
        "--again",
        action="store_true",
        help="reuse a kept run's loaded database and file (--keep before): only the import and the check",
    )
    ap.add_argument("--pg", help="a PostgreSQL server's URL: run there instead of an SQLite file")
    a = ap.parse_args()
    db = Db(a.dir, a.pg)
    url = db.url
    export = os.path.join(a.dir, "export.xlsx")
    file = os.path.join(a.dir, "import.xlsx")
    if a.again:
        log = open(os.path.join(a.dir, "log-again.txt"), "w")
        db.copy(db.before, db.url)
        load_peak, export_s, export_peak = 0, 0, 0
        kept = open(os.path.join(a.dir, "loader.txt")).read().split()
        if len(kept) != 4:
            sys.exit("loader.txt is from an older version of this script: run once without --again")
        loaded, load_s, load_rate, finish_s = map(float, kept)
    else:
        shutil.rmtree(a.dir, ignore_errors=True)
        os.makedirs(a.dir)
        db.fresh()
        log = open(os.path.join(a.dir, "log.txt"), "w")
        _, load_peak, out = run([a.bin, "demo", "--scale", a.scale, "--db", url], log)
        m = re.search(r"members: (\d+) trong ([\d.]+) s \((\d+) ", out)
        loaded, load_s, load_rate = int(m.group(1)), float(m.group(2)), int(m.group(3))
        finish_s = members_finishing(out)
        open(os.path.join(a.dir, "loader.txt"), "w").write(f"{loaded} {load_s} {load_rate} {finish_s}")
    root = db.rows("SELECT id FROM orgs WHERE parent_id IS NULL")[0][0]
    if not a.again:
        export_s, export_peak, _ = run([a.bin, "export", "members", export, "--org", root, "--db", url], log)
        make_file(export, file, a.rows, db)
        db.copy(db.url, db.before)
    size = os.path.getsize(file) / 1e6

    imp = [a.bin, "import", "members", file, "--org", root, "--db", url]
    check_s, check_peak, _ = run(imp + ["--dry-run"], log)
    commit_s, commit_peak, out = run(imp, log)
    if f"imported: {a.rows} " not in out.replace("Đã nhập / imported", "imported"):
        sys.exit(f"the import did not write {a.rows} rows:\n{out[-2000:]}")
    verify_s, verify_peak, _ = run([a.bin, "check", "--db", url], log)

    rate = a.rows / commit_s
    print(f"{a.scale} demo, {'PostgreSQL' if a.pg else 'SQLite'}, {a.rows} rows ({size:.1f} MB .xlsx)")
    print("| step | time | rows/s | peak memory |")
    print("|---|---:|---:|---:|")
    print(f"| loader, members stage ({loaded:.0f} members) | {load_s:.1f} s | {load_rate:.0f} | {load_peak:.0f} MB (whole load) |")
    whole_rate = loaded / (load_s + finish_s)
    print(
        f"| loader, members with their indexes and kept figures (members stage + {finish_s:.1f} s of its last step) "
        f"| {load_s + finish_s:.1f} s | {whole_rate:.0f} | |"
    )
    print(f"| export of the registry | {export_s:.1f} s | | {export_peak:.0f} MB |")
    print(f"| import, check only (--dry-run) | {check_s:.1f} s | {a.rows / check_s:.0f} | {check_peak:.0f} MB |")
    print(f"| import, check and write | {commit_s:.1f} s | {rate:.0f} | {commit_peak:.0f} MB |")
    print(f"| chibo check afterwards (clean) | {verify_s:.1f} s | | {verify_peak:.0f} MB |")
    print(f"import / loader's members stage: {rate / load_rate:.0%} (goal: at least 50%); check: {check_s:.1f} s (goal: under 60 s)")
    print(f"import / loader's members with their indexes and kept figures: {rate / whole_rate:.0%}")
    if not a.keep:
        shutil.rmtree(a.dir, ignore_errors=True)
        if a.pg:
            for u in (db.url, db.before):
                drop(a.pg, u)


if __name__ == "__main__":
    main()
