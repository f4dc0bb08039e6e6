"""What the scripts that set chibo's kept figures beside DuckDB share (issue 16): a database
loaded by `chibo demo`, `chibo serve` on it with `admin` logged in, the raw rows handed to DuckDB
through CSV files, the levels to compare, and the timing.

    import duckbench
    duckbench.run(__doc__, raw_tables, compare, "numbers compared")

where `compare(duck, client, org, period, runs)` times both sides for one organisation and
period and returns ((chibo p50, p95), (DuckDB p50, p95), how many numbers, the differences).
"""

import argparse
import contextlib
import csv
import http.cookiejar
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import duckdb

from totp import totp

PASSWORD = os.environ.get("CHIBO_DEMO_PASSWORD", "chibo-demo-2026")


class Client:
    def __init__(self, base):
        self.base, self.csrf = base, None
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if self.csrf:
            req.add_header("X-CSRF-Token", self.csrf)
        with self.opener.open(req) as r:
            return json.loads(r.read())

    def login_admin(self):
        """Log `admin` in, enrolling the second factor the first time (as a new admin would)."""
        me = self.call("POST", "/api/v1/auth/login", {"username": "admin", "password": PASSWORD})
        if me.get("second_factor_required"):
            sys.exit("admin already has a second factor on this database: use a fresh one")
        self.csrf = me["csrf_token"]
        if self.call("GET", "/api/v1/auth/totp")["required"]:
            secret = self.call("POST", "/api/v1/auth/totp")["secret"]
            self.call("POST", "/api/v1/auth/totp/confirm", {"code": totp(secret)})


def add_args(ap):
    ap.add_argument("--bin", default="target/release/chibo")
    ap.add_argument("--scale", default="province")
    ap.add_argument("--db", help="a database loaded by `chibo demo --demo-passwords`, sqlite://FILE or "
                    "postgres://… (else a fresh SQLite file)")
    ap.add_argument("--pg", metavar="URL", help="load a fresh PostgreSQL database chibo_duck on this server "
                    "(e.g. postgres://postgres@127.0.0.1:5432/postgres) instead of an SQLite file")
    ap.add_argument("--keep", action="store_true", help="keep the database the script loaded")
    ap.add_argument("--runs", type=int, default=10)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(binary, url):
    """`chibo serve` on the database at `url`, on a free port, once it answers: (process, base URL)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # CHIBO_SERVE_LOG=FILE keeps the server's log (with RUST_LOG, its debug timings).
    log = open(os.environ["CHIBO_SERVE_LOG"], "a") if os.environ.get("CHIBO_SERVE_LOG") else subprocess.DEVNULL
    server = subprocess.Popen([binary, "serve", "--db", url, "--bind", f"127.0.0.1:{port}"],
                              stdout=log, stderr=log)
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/healthz").read()
            break
        except OSError:
            time.sleep(0.1)
    return server, base


@contextlib.contextmanager
def serving(args):
    """The database (loaded with the demo unless --db), `chibo serve` on it, and a client with
    `admin` logged in: yields (url, client); stops the server and drops what it loaded after."""
    tmp = tempfile.mkdtemp(prefix="chibo-duck-")
    if args.db:
        url = args.db
    elif args.pg:
        subprocess.run(["psql", args.pg, "-q", "-c", "DROP DATABASE IF EXISTS chibo_duck"], check=True)
        subprocess.run(["psql", args.pg, "-q", "-c", "CREATE DATABASE chibo_duck"], check=True)
        url = args.pg.rsplit("/", 1)[0] + "/chibo_duck"
    else:
        url = "sqlite://" + os.path.join(tmp, "chibo.db")
    if not args.db:
        t = time.monotonic()
        subprocess.run([args.bin, "demo", "--scale", args.scale, "--db", url, "--demo-passwords"],
                       check=True, stdout=subprocess.DEVNULL)
        print(f"loaded the {args.scale} demo into {url.split(':')[0]} in {time.monotonic() - t:.0f} s")
    else:
        # An existing database: admin enrols a second factor afresh (as after a lost phone).
        subprocess.run([args.bin, "user", "totp-reset", "admin", "--db", url], check=True, stdout=subprocess.DEVNULL)
    server, base = start_serve(args.bin, url)
    try:
        client = Client(base)
        client.login_admin()
        yield url, client
    finally:
        server.terminate()
        server.wait()
        if args.keep and not args.db:
            print(f"kept: {url}")
        elif not args.db:
            shutil.rmtree(tmp, ignore_errors=True)
            if args.pg:
                subprocess.run(["psql", args.pg, "-q", "-c", "DROP DATABASE IF EXISTS chibo_duck"], check=False)


def engine_of(url):
    return "sqlite" if url.startswith("sqlite://") else "postgres"


def sql_hex(engine, column):
    """SQL for an id as upper-case hex: the same text from both engines."""
    return f"hex({column})" if engine == "sqlite" else f"upper(replace({column}::text, '-', ''))"


def links_table(engine):
    """The tree's dated links, as `export` takes a table."""
    h = lambda c: sql_hex(engine, c)  # noqa: E731
    return ("links", f"SELECT {h('org_id')}, {h('parent_id')}, from_on, to_on FROM org_links",
            "org_id TEXT, parent_id TEXT, from_on DATE, to_on DATE")


def export(url, duck, tables):
    """The raw rows into DuckDB (not timed), through CSV files: `tables` are (name, query,
    DuckDB columns). SQLite is read with Python's sqlite3, PostgreSQL with psql's \\copy.
    The number of rows of each table."""
    engine = engine_of(url)
    counts = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, query, columns in tables:
            path = os.path.join(tmp, name + ".csv")
            if engine == "sqlite":
                import sqlite3

                src = sqlite3.connect(url[len("sqlite://"):])
                with open(path, "w", newline="") as f:
                    csv.writer(f).writerows(["" if v is None else v for v in row] for row in src.execute(query))
                src.close()
            else:
                subprocess.run(["psql", url, "-q", "-c", f"\\copy ({query}) TO '{path}' CSV"], check=True)
            cols = ", ".join(f"'{c.split()[0]}': '{c.split()[1]}'" for c in columns.split(", "))
            duck.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', header = false, "
                         f"columns = {{{cols}}}, nullstr = '')")
            counts[name] = duck.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
    return counts


def hexid(uuid_text):
    return uuid_text.replace("-", "").upper()


def timed(fn, runs):
    """The last answer of `runs` calls, and their p50 and p95 in ms."""
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1000)
    return out, statistics.median(times), sorted(times)[max(0, int(len(times) * 0.95) - 1)]


def pick_levels(client):
    """The viewer's top organisation, then its biggest child each time, down to a cell."""
    at = client.call("GET", "/api/v1/orgs")["items"][0]
    out = []
    for _ in range(8):
        page = client.call("GET", f"/api/v1/orgs/{at['id']}")
        out.append((f"{page['org']['kind']} ({page['org']['stats']['members']:,} members)", at["id"]))
        if not page["children"]:
            break
        at = max(page["children"], key=lambda k: k["stats"]["members"])
    return out


def run(doc, raw_tables, compare, compared):
    """The whole comparison: arguments, database, server, raw rows into DuckDB, then per level
    and period one line of a Markdown table; exits non-zero when a number differs."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    add_args(ap)
    ap.add_argument("--periods", default="2026-10,2026-Q3,2025")
    args = ap.parse_args()
    with serving(args) as (url, client):
        duck = duckdb.connect()
        t = time.monotonic()
        counts = export(url, duck, raw_tables(engine_of(url)))
        print(f"raw rows into DuckDB {duckdb.__version__} in {time.monotonic() - t:.0f} s (not timed): "
              + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        print()
        print(f"| level | period | chibo p50 / p95 ms (HTTP) | DuckDB p50 / p95 ms | ratio (p50) | {compared} | equal |")
        print("|---|---|---:|---:|---:|---:|---|")
        failures = 0
        for name, org in pick_levels(client):
            for code in args.periods.split(","):
                (c50, c95), (d50, d95), n, wrong = compare(duck, client, org, code, args.runs)
                failures += len(wrong)
                for w in wrong[:5]:
                    print(f"  differs: {code} {w}")
                print(f"| {name} | {code} | {c50:.2f} / {c95:.2f} | {d50:.1f} / {d95:.1f} | {d50 / c50:.0f}× "
                      f"| {n} | {'yes' if not wrong else f'NO ({len(wrong)})'} |")
        if failures:
            sys.exit(f"{failures} differences")
