"""The statistics reports of two builds of chibo on two copies of one database, compared
through HTTP: every report of the top organisation (and of `--org` ones) on the dates and
periods below must come back identical. For a change of how a report is read (a kept table in
place of the tree of a day, say): the base build reads the old way, the new build the new way,
on the same records.

    python3 scripts/reports-two-builds.py --base-bin /tmp/chibo-base --base-db sqlite:///tmp/a.db \\
        --new-bin target/release/chibo --new-db sqlite:///tmp/b.db

Each database gets a staff account on the top organisation (`chibo user add`, `user grant`),
which enrols its second factor at its first login, as a new account does. With `--runs N`,
the top's report on each date is then timed through HTTP on each build (what a user waits
for), the builds taking turns: p50 and p95 in ms. Without `--new-bin` and `--new-db`, one build
is only timed (a database too large to copy twice, the nation's), on the top and each `--org`;
then `--record FILE` keeps its reports (every date and period) in a file, and a later run of
another build on the same records with `--compare FILE` must give each of them back identical
(a build whose migration changes the schema cannot run beside the old one on one database).
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from duckbench import Client, start_serve  # noqa: E402
from totp import totp  # noqa: E402

DATES = ["2020-12-31", "2023-06-30", "2024-12-31", "2025-03-31", "2025-04-05", "2025-04-25", "2025-06-30",
         "2025-07-31", "2025-12-31", "2026-10-31", "2026-11-10"]
PERIODS = ["2025", "2024", "2025-Q3"]


def top_org(db):
    """The id of the organisation with no parent, read through sqlite3 or psql."""
    if db.startswith("sqlite://"):
        import sqlite3
        import uuid
        c = sqlite3.connect(f"file:{db[len('sqlite://'):]}?mode=ro", uri=True)
        return str(uuid.UUID(bytes=c.execute("SELECT id FROM orgs WHERE depth = 0").fetchone()[0]))
    out = subprocess.run(["psql", db, "-Atc", "SELECT id FROM orgs WHERE depth = 0"], check=True,
                         capture_output=True, text=True)
    return out.stdout.split()[0]


def serve(bin_, db, user, password, top):
    env = dict(os.environ, CHIBO_PASSWORD=password)
    subprocess.run([bin_, "user", "add", user, "--name", "So sánh", "--db", db], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    subprocess.run([bin_, "user", "grant", user, "staff", top, "--db", db], check=True, stdout=subprocess.DEVNULL)
    server, base = start_serve(bin_, db)
    client = Client(base)
    me = client.call("POST", "/api/v1/auth/login", {"username": user, "password": password})
    client.csrf = me["csrf_token"]
    if client.call("GET", "/api/v1/auth/totp")["required"]:
        secret = client.call("POST", "/api/v1/auth/totp")["secret"]
        client.call("POST", "/api/v1/auth/totp/confirm", {"code": totp(secret)})
    return server, client


def kept_reports(client, orgs, record, compare):
    """Every report of `orgs` on the dates and periods, kept in `record` or compared with those
    kept in `compare`; the number that differ."""
    import json
    got = {}
    for org in orgs:
        for on in DATES:
            for period in PERIODS:
                path = f"/api/v1/orgs/{org}/report?on={on}&period={period}"
                try:
                    got[path] = client.call("GET", path)
                except urllib.error.HTTPError as e:
                    got[path] = {"status": e.code, "body": e.read().decode()}
    if record:
        with open(record, "w") as f:
            json.dump(got, f)
        print(f"reports kept: {len(got)} in {record}")
        return 0
    with open(compare) as f:
        kept = json.load(f)
    differ = [p for p in kept if kept[p] != got.get(p)]
    for p in differ:
        print(f"DIFFERENT: {p}")
    print(f"reports compared: {len(kept)}, different: {len(differ)}")
    return len(differ)


def time_reports(clients, org, period, runs):
    """p50 and p95 (ms) of an organisation's report on each date through HTTP, the builds taking
    turns."""
    print(f"the report of {org}, {period}, through HTTP, {runs} runs, p50 / p95 ms: {', '.join(['base', 'new'][:len(clients)])}")
    for on in DATES:
        path = f"/api/v1/orgs/{org}/report?on={on}&period={period}"
        took = [[] for _ in clients]
        for _ in range(runs):
            for i, c in enumerate(clients):
                t = time.perf_counter()
                c.call("GET", path)
                took[i].append((time.perf_counter() - t) * 1000)
        cells = []
        for ms in took:
            ms.sort()
            p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
            cells.append(f"{statistics.median(ms):7.1f} / {p95:7.1f}")
        print(f"  on {on}: {'   '.join(cells)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base-bin", required=True)
    ap.add_argument("--base-db", required=True)
    ap.add_argument("--new-bin")
    ap.add_argument("--new-db")
    ap.add_argument("--org", action="append", default=[], help="another organisation's id to compare")
    ap.add_argument("--runs", type=int, default=0, help="time the top's report on each date, N times a build")
    ap.add_argument("--period", default="2025", help="the period of the timed reports")
    ap.add_argument("--record", help="one build: keep its reports in this file (JSON)")
    ap.add_argument("--compare", help="one build: its reports must equal those kept in this file")
    args = ap.parse_args()
    top = top_org(args.base_db)
    user, password = f"sosanh{random.randrange(10**6)}", "so-sanh-bao-cao-2026"
    servers = []
    try:
        clients = []
        builds = [(args.base_bin, args.base_db)]
        if args.new_bin and args.new_db:
            builds.append((args.new_bin, args.new_db))
        for bin_, db in builds:
            server, client = serve(bin_, db, user, password, top)
            servers.append(server)
            clients.append(client)
        if len(clients) == 1:
            if args.record or args.compare:
                differ = kept_reports(clients[0], [top, *args.org], args.record, args.compare)
                if differ:
                    sys.exit(1)
            for org in [top, *args.org]:
                time_reports(clients, org, args.period, args.runs or 12)
            return
        compared = differ = 0
        for org in [top, *args.org]:
            for on in DATES:
                for period in PERIODS:
                    path = f"/api/v1/orgs/{org}/report?on={on}&period={period}"
                    got = []
                    for c in clients:
                        try:
                            got.append(c.call("GET", path))
                        except urllib.error.HTTPError as e:
                            got.append({"status": e.code, "body": e.read().decode()})
                    compared += 1
                    if got[0] != got[1]:
                        differ += 1
                        print(f"DIFFERENT: {org} on {on}, {period}")
        print(f"reports compared: {compared}, different: {differ}")
        if args.runs:
            time_reports(clients, top, args.period, args.runs)
        sys.exit(1 if differ else 0)
    finally:
        for s in servers:
            s.terminate()
            s.wait()


if __name__ == "__main__":
    main()
