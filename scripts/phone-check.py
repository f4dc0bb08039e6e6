#!/usr/bin/env python3
"""Open chibo's main pages in headless Chromium at a 360 px wide phone viewport, log in, and
report for each page whether it scrolls sideways (document wider than the screen); save
screenshots. Needs Debian's chromium and `pip install websocket-client`.

usage: scripts/phone-check.py BASE_URL USERNAME PASSWORD [OUT_DIR]
"""
import base64, json, os, subprocess, sys, tempfile, time, urllib.request

import websocket  # websocket-client

base, user, password = sys.argv[1], sys.argv[2], sys.argv[3]
out = sys.argv[4] if len(sys.argv) > 4 else "/tmp/chibo-phone"
os.makedirs(out, exist_ok=True)
port = 9333
chrome = subprocess.Popen(
    ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
     "--disable-background-networking", "--disable-component-update", "--disable-sync",
     f"--user-data-dir={tempfile.mkdtemp()}", f"--remote-debugging-port={port}", "about:blank"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(50):
        try:
            targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
            page = next(t for t in targets if t["type"] == "page")
            break
        except Exception:
            time.sleep(0.2)
    ws = websocket.create_connection(page["webSocketDebuggerUrl"], suppress_origin=True)
    seq = [0]

    def call(method, **params):
        seq[0] += 1
        ws.send(json.dumps({"id": seq[0], "method": method, "params": params}))
        while True:
            msg = json.loads(ws.recv())
            if msg.get("id") == seq[0]:
                return msg.get("result", {})

    def js(expr):
        return call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)["result"].get("value")

    def goto(url):
        call("Page.navigate", url=url)
        time.sleep(1.0)

    call("Page.enable")
    call("Emulation.setDeviceMetricsOverride", width=360, height=740, deviceScaleFactor=1, mobile=True)
    goto(base + "/login")
    js(f"document.querySelector('[name=username]').value={json.dumps(user)};"
       f"document.querySelector('[name=password]').value={json.dumps(password)};"
       "document.querySelector('[name=password]').form.submit()")
    time.sleep(1.5)
    worst = 0

    def measure(name, url):
        global worst
        goto(url)
        width = js("document.documentElement.scrollWidth")
        worst = max(worst, width)
        path = os.path.join(out, f"{name}.png")
        open(path, "wb").write(base64.b64decode(call("Page.captureScreenshot", format="png")["data"]))
        print(f"{name:7} {url}  document width {width}px (viewport 360px)  {path}")

    first_link = "(document.querySelector('a[href^=\"/{}/\"]')||{{}}).href"
    measure("tree", base + "/")
    org = js(first_link.format("orgs"))
    if org:
        measure("org", org)
        member = js("(document.querySelector('a[href^=\"/members/\"]:not([href^=\"/members/new\"])')||{}).href")
        if member:
            measure("member", member)
            measure("edit", member + "/edit")
    print("no sideways scrolling" if worst <= 360 else f"WIDER THAN THE SCREEN: {worst}px")
    sys.exit(0 if worst <= 360 else 1)
finally:
    chrome.kill()
