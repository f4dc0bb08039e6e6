#!/usr/bin/env python3
"""Import speed beside the demo loader's, in one run (issue "data in and out").

1. `chibo demo --scale S` into a fresh SQLite database; the loader prints its members stage
   (members/s): the figure the import is compared with.
2. `chibo export members` of the root: the registry in the import template (.xlsx).
3. A file of N rows made from it, every citizen ID and party card number replaced by one that no
   member holds (so that every row imports as a new member of the same cells).
4. `chibo import members --dry-run`, then the import itself, each timed with its peak memory.
5. `chibo check`: the counters, the ledger and every kept figure still equal their recounts.

Needs openpyxl (`pip install openpyxl`). Goal: N = 200,000 rows checked in under a minute and
imported at no less than half the loader's members/s (docs/BENCHMARKS.md).

    scripts/import-bench.py --bin target/release/chibo --scale province --rows 200000
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


def make_file(export, out, n, db):
    """`n` rows from the export, cycling, with identifiers no member of `db` holds."""
    import openpyxl

    rows = list(openpyxl.load_workbook(export, read_only=True).active.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r and r[0] == "Họ")
    header, data = rows[at], rows[at + 1 :]
    ci, pi = header.index("Số CCCD"), header.index("Số thẻ đảng viên")
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    used_c = {r[0] for r in con.execute("SELECT citizen_id FROM members") if r[0]}
    used_p = {r[0] for r in con.execute("SELECT party_card_number FROM members") if r[0]}
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


def copy_db(src, dst):
    """A consistent copy of an SQLite database (its write-ahead log included)."""
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(dst + ext):
            os.remove(dst + ext)
    with sqlite3.connect(src) as s, sqlite3.connect(dst) as d:
        s.backup(d)


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
    a = ap.parse_args()
    db = os.path.join(a.dir, "bench.db")
    before = os.path.join(a.dir, "before.db")
    url = f"sqlite://{db}"
    export = os.path.join(a.dir, "export.xlsx")
    file = os.path.join(a.dir, "import.xlsx")
    if a.again:
        log = open(os.path.join(a.dir, "log-again.txt"), "w")
        copy_db(before, db)
        load_peak, export_s, export_peak = 0, 0, 0
        loaded, load_s, load_rate = map(float, open(os.path.join(a.dir, "loader.txt")).read().split())
    else:
        shutil.rmtree(a.dir, ignore_errors=True)
        os.makedirs(a.dir)
        log = open(os.path.join(a.dir, "log.txt"), "w")
        _, load_peak, out = run([a.bin, "demo", "--scale", a.scale, "--db", url], log)
        m = re.search(r"members: (\d+) trong ([\d.]+) s \((\d+) ", out)
        loaded, load_s, load_rate = int(m.group(1)), float(m.group(2)), int(m.group(3))
        open(os.path.join(a.dir, "loader.txt"), "w").write(f"{loaded} {load_s} {load_rate}")
    root = sqlite3.connect(f"file:{db}?mode=ro", uri=True).execute(
        "SELECT id FROM orgs WHERE parent_id IS NULL"
    ).fetchone()[0]
    root = str(uuid.UUID(bytes=root)) if isinstance(root, bytes) else root
    if not a.again:
        export_s, export_peak, _ = run([a.bin, "export", "members", export, "--org", root, "--db", url], log)
        make_file(export, file, a.rows, db)
        copy_db(db, before)
    size = os.path.getsize(file) / 1e6

    imp = [a.bin, "import", "members", file, "--org", root, "--db", url]
    check_s, check_peak, _ = run(imp + ["--dry-run"], log)
    commit_s, commit_peak, out = run(imp, log)
    if f"imported: {a.rows} " not in out.replace("Đã nhập / imported", "imported"):
        sys.exit(f"the import did not write {a.rows} rows:\n{out[-2000:]}")
    verify_s, verify_peak, _ = run([a.bin, "check", "--db", url], log)

    rate = a.rows / commit_s
    print(f"{a.scale} demo, SQLite, {a.rows} rows ({size:.1f} MB .xlsx)")
    print(f"| step | time | rows/s | peak memory |")
    print(f"|---|---:|---:|---:|")
    print(f"| loader, members stage ({loaded:.0f} members) | {load_s:.1f} s | {load_rate:.0f} | {load_peak:.0f} MB (whole load) |")
    print(f"| export of the registry | {export_s:.1f} s | | {export_peak:.0f} MB |")
    print(f"| import, check only (--dry-run) | {check_s:.1f} s | {a.rows / check_s:.0f} | {check_peak:.0f} MB |")
    print(f"| import, check and write | {commit_s:.1f} s | {rate:.0f} | {commit_peak:.0f} MB |")
    print(f"| chibo check afterwards (clean) | {verify_s:.1f} s | | {verify_peak:.0f} MB |")
    print(f"import / loader: {rate / load_rate:.0%} (goal: at least 50%); check: {check_s:.1f} s (goal: under 60 s)")
    if not a.keep:
        shutil.rmtree(a.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
