#!/usr/bin/env python3
"""The registry exported whole, as a user waits for it and as the console runs it.

    scripts/export-bench.py --bin target/release/chibo --db sqlite://FILE --org ID [--runs 3]
                            [--path '/orgs/{org}/report/list.xlsx?item=total%2Fall'] [--http-only]

On a loaded database (e.g. `chibo demo --scale province`), for the subtree of --org:
- through HTTP: `chibo serve` on the database, an account `exportbench` (created the first time,
  staff on the organisation, its second factor enrolled as a new account would) downloads
  `/orgs/{id}/members.xlsx` (or --path, any export of the subtree: `{org}` in it is --org); the
  time until the last byte and the server's peak memory (VmHWM);
- in the console: `chibo export members FILE --org ID`, its time and peak memory (GNU time).
Prints the figures of each run and the file's size; docs/BENCHMARKS.md keeps them.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from duckbench import Client  # noqa: E402
from totp import totp  # noqa: E402

USER, PASSWORD = "exportbench", "mat-khau-do-xuat-2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def account(bin_, db, org):
    """The staff account on `org` (its creation fails harmlessly when it exists)."""
    env = dict(os.environ, CHIBO_PASSWORD=PASSWORD)
    subprocess.run([bin_, "user", "add", USER, "--name", "Đo xuất", "--db", db], env=env, capture_output=True)
    subprocess.run([bin_, "user", "grant", USER, "staff", org, "--db", db], capture_output=True)


def login(c):
    me = c.call("POST", "/api/v1/auth/login", {"username": USER, "password": PASSWORD})
    c.csrf = me["csrf_token"]
    if me.get("second_factor_required"):
        sys.exit(f"{USER} already has a second factor here: remove it with `chibo user totp-reset {USER}`")
    if c.call("GET", "/api/v1/auth/totp")["required"]:
        secret = c.call("POST", "/api/v1/auth/totp")["secret"]
        c.call("POST", "/api/v1/auth/totp/confirm", {"code": totp(secret)})


def peak_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))


def http_run(bin_, db, org, path):
    port = free_port()
    server = subprocess.Popen([bin_, "serve", "--db", db, "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        c = Client(f"http://127.0.0.1:{port}")
        for _ in range(120):
            try:
                c.opener.open(c.base + "/login").read()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        subprocess.run([bin_, "user", "totp-reset", USER, "--db", db], capture_output=True)
        login(c)
        start = time.perf_counter()
        size = 0
        with c.opener.open(c.base + path.replace("{org}", org)) as r:
            while chunk := r.read(1 << 20):
                size += len(chunk)
        took = time.perf_counter() - start
        return took, peak_kib(server.pid), size
    finally:
        server.terminate()
        server.wait()


def console_run(bin_, db, org):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "registry.xlsx")
        r = subprocess.run(["/usr/bin/time", "-v", bin_, "export", "members", out, "--org", org, "--db", db],
                           capture_output=True, text=True, check=True)
        took = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", r.stderr).group(1)
        minutes, seconds = took.split(":")[-2:]
        peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))
        return int(minutes) * 60 + float(seconds), peak, os.path.getsize(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/chibo")
    ap.add_argument("--db", required=True)
    ap.add_argument("--org", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--path", default="/orgs/{org}/members.xlsx")
    ap.add_argument("--http-only", action="store_true", help="no console export")
    a = ap.parse_args()
    account(a.bin, a.db, a.org)
    for i in range(a.runs):
        took, peak, size = http_run(a.bin, a.db, a.org, a.path)
        print(f"HTTP    run {i + 1}: {took:.2f} s to the last byte, server peak {peak / 1024:.0f} MiB, "
              f"{size / 1e6:.1f} MB")
        if a.http_only:
            continue
        took, peak, size = console_run(a.bin, a.db, a.org)
        print(f"console run {i + 1}: {took:.2f} s, peak {peak / 1024:.0f} MiB, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
