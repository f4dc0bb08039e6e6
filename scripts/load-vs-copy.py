#!/usr/bin/env python3
"""The demo loader's speed beside the engine's own raw copy of the same rows (issue 16).

In one run: `chibo demo --scale SCALE` loads a fresh database A (timed, as a user waits for
it); then the engine copies every row of A into a fresh database B with the same schema and
the same indexes, the way a database administrator would move the data:

- SQLite: B gets A's tables, each table is filled by `INSERT INTO t SELECT * FROM a.t` in one
  transaction (WAL, synchronous=NORMAL, as chibo runs), then A's indexes are built;
- PostgreSQL: `pg_dump --format=custom` of A (not timed), then `pg_restore` into B (timed):
  COPY of every table, then its indexes and constraints, each key checked.

It prints both times and the loader's share of the raw copy's speed (goal: at least 50%).

    cargo build --release -p chibo
    python3 scripts/load-vs-copy.py --engine sqlite --scale province
    python3 scripts/load-vs-copy.py --engine postgres --scale province

PostgreSQL: a server on 127.0.0.1:5432, user postgres (or --pg-url), where the script creates
and drops the databases chibo_lvc_a and chibo_lvc_b (--keep leaves them).
"""

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time


def run_load(binary, scale, url):
    t = time.monotonic()
    out = subprocess.run(
        [binary, "demo", "--scale", scale, "--db", url], capture_output=True, text=True, check=False
    )
    elapsed = time.monotonic() - t
    if out.returncode != 0:
        sys.exit(f"chibo demo failed:\n{out.stdout}\n{out.stderr}")
    for line in out.stdout.splitlines():
        if not re.search(r"password|mật khẩu", line):
            print("  " + line)
    return elapsed


def copy_sqlite(a_path, b_path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(b_path + suffix):
            os.remove(b_path + suffix)
    src = sqlite3.connect(a_path)
    tables = src.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    indexes = [
        r[0] for r in src.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    ]
    rows = sum(src.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name, _ in tables)
    src.close()
    t = time.monotonic()
    b = sqlite3.connect(b_path, isolation_level=None)
    b.execute("PRAGMA journal_mode = WAL")
    b.execute("PRAGMA synchronous = NORMAL")
    for _, ddl in tables:
        b.execute(ddl)
    b.execute("ATTACH DATABASE ? AS a", (a_path,))
    for name, _ in tables:
        b.execute("BEGIN")
        b.execute(f'INSERT INTO main."{name}" SELECT * FROM a."{name}"')
        b.execute("COMMIT")
    b.execute("DETACH DATABASE a")
    b.execute("BEGIN")
    for ddl in indexes:
        b.execute(ddl)
    b.execute("COMMIT")
    b.close()
    return time.monotonic() - t, rows, len(tables), len(indexes)


def psql(url, command):
    subprocess.run(["psql", url, "-qAtc", command], check=True, capture_output=True, text=True)


def pg_rows(url):
    q = (
        "SELECT COALESCE(SUM(n_live_tup), 0), COUNT(*) FROM pg_stat_user_tables"
    )
    out = subprocess.run(["psql", url, "-qAtc", q], check=True, capture_output=True, text=True).stdout
    rows, tables = out.strip().split("|")
    return int(rows), int(tables)


def copy_postgres(server, a, b, dump):
    subprocess.run(["pg_dump", "--format=custom", "--file", dump, f"{server}/{a}"], check=True)
    psql(f"{server}/postgres", f"DROP DATABASE IF EXISTS {b} WITH (FORCE)")
    psql(f"{server}/postgres", f"CREATE DATABASE {b}")
    t = time.monotonic()
    subprocess.run(["pg_restore", "--no-owner", "--dbname", f"{server}/{b}", dump], check=True)
    elapsed = time.monotonic() - t
    psql(f"{server}/{b}", "ANALYZE")
    rows, tables = pg_rows(f"{server}/{b}")
    return elapsed, rows, tables


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--engine", choices=["sqlite", "postgres"], required=True)
    ap.add_argument("--scale", default="province", choices=["commune", "province", "nation"])
    ap.add_argument("--bin", default="target/release/chibo")
    ap.add_argument("--dir", default=None, help="where the SQLite files go (default: a temporary directory)")
    ap.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    ap.add_argument("--keep", action="store_true", help="keep both databases")
    args = ap.parse_args()

    work = args.dir or tempfile.mkdtemp(prefix="chibo-lvc-")
    print(f"== {args.engine}, scale {args.scale}: chibo demo into A")
    if args.engine == "sqlite":
        a_path, b_path = os.path.join(work, "a.db"), os.path.join(work, "b.db")
        for p in (a_path, b_path):
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(p + suffix):
                    os.remove(p + suffix)
        load = run_load(args.bin, args.scale, f"sqlite://{a_path}")
        print("== the raw copy of A into B (INSERT … SELECT per table, then the indexes)")
        copy, rows, tables, indexes = copy_sqlite(a_path, b_path)
        detail = f"{tables} tables, {indexes} indexes"
    else:
        server = args.pg_url.rstrip("/")
        psql(f"{server}/postgres", "DROP DATABASE IF EXISTS chibo_lvc_a WITH (FORCE)")
        psql(f"{server}/postgres", "CREATE DATABASE chibo_lvc_a")
        load = run_load(args.bin, args.scale, f"{server}/chibo_lvc_a")
        print("== the raw copy of A into B (pg_dump, then pg_restore: COPY, indexes, keys)")
        copy, rows, tables = copy_postgres(server, "chibo_lvc_a", "chibo_lvc_b", os.path.join(work, "a.dump"))
        detail = f"{tables} tables"
    share = copy / load
    print(f"rows copied: {rows:,} ({detail})")
    print(f"chibo demo load: {load:.1f} s   raw copy: {copy:.1f} s   loader at {share:.0%} of the raw copy's speed")
    print("goal ≥ 50%: " + ("met" if share >= 0.5 else "MISSED"))
    if not args.keep:
        if args.engine == "sqlite":
            for p in (a_path, b_path):
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(p + suffix):
                        os.remove(p + suffix)
        else:
            for db in ("chibo_lvc_a", "chibo_lvc_b"):
                psql(f"{args.pg_url.rstrip('/')}/postgres", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


if __name__ == "__main__":
    main()
