#!/usr/bin/env python3
"""The browser test: each role's daily path in headless Chromium, at 360 px and 1366 px.

Starts a real `chibo serve` on a fresh commune demo database on a random port, drives Debian's
chromium over the DevTools protocol (`pip install websocket-client`), walks each role's path
from the page it lands on after logging in, counts the taps (a click on a link or a button,
a confirmation accepted; typing is not a tap) and fails when a path takes more taps than its
target below, when a page scrolls sideways, or when an expected text is missing. Saves each
role's home page at both widths into docs/screenshots/.

usage: scripts/browser-test.py [--bin target/debug/chibo] [--shots docs/screenshots] [--keep]
"""
import argparse, base64, datetime, json, os, shutil, socket, subprocess
import re, sys, tempfile, time, urllib.request

import websocket  # websocket-client

from totp import totp

# The most taps each path may take, from the page the role lands on.
TARGETS = {
    "secretary: schedule a meeting": 2,          # open the form, submit
    "secretary: record the attendance": 3,       # "Điểm danh", mark one absent, save
    "secretary: write the minutes": 2,           # "Ghi biên bản", save
    "secretary: approve the minutes": 2,         # "Thông qua biên bản", confirm
    "member: see the next meeting": 0,           # on the home page
    "member: give a notice of absence": 1,       # type the reason, send
    "member: withdraw the notice": 1,
    "member: open own record": 1,
    "member: open the annual self-assessment": 1,  # from the home page
    "secretary: open the cell's review opinions": 1,  # from what waits
    "staff: find a member without diacritics": 2,  # search, open the record
    "staff: from the 2025 figures to a missed month": 2,  # the figures, the cell's missed months
    "staff: check a registry file": 2,            # choose the file, check it
    "inspector: see the inspection work": 0,
    "inspector: open the committee's inspections": 1,
    "inspector: rename a programme": 2,           # "Sửa", save
    "inspector: print a case's notice": 1,
}
WIDTHS = [(360, 740, True), (1366, 900, False)]
HEADER_MAX = 56  # px: one bar on every page
PASSWORD = "chibo-demo-2026"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def server_today(log):
    """The server's working day: a demo runs on its own day (`serve` prints "working day:
    yyyy-mm-dd"); otherwise today in Vietnam (UTC+7), which between 17:00 and 24:00 UTC is the
    machine's tomorrow."""
    with open(log, encoding="utf-8") as f:
        for line in f:
            m = re.search(r"working day: (\d{4})-(\d{2})-(\d{2})", line)
            if m:
                return datetime.date(*map(int, m.groups()))
    vietnam = datetime.timezone(datetime.timedelta(hours=7))
    return datetime.datetime.now(vietnam).date()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Failure(Exception):
    pass


class Browser:
    def __init__(self, ws):
        self.ws, self.seq, self.taps = ws, 0, 0

    def call(self, method, **params):
        self.seq += 1
        me = self.seq
        self.ws.send(json.dumps({"id": me, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("method") == "Page.javascriptDialogOpening":
                # A confirmation: accepting it is one more tap.
                if os.environ.get("CHIBO_BROWSER_DEBUG"):
                    print("    dialog:", msg["params"].get("message"))
                self.taps += 1
                self.seq += 1
                self.ws.send(json.dumps({"id": self.seq, "method": "Page.handleJavaScriptDialog",
                                         "params": {"accept": True}}))
                continue
            if msg.get("id") == me:
                if "error" in msg:
                    raise Failure(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def js(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise Failure(f"script failed: {expr[:120]}: {r['exceptionDetails'].get('text')}")
        return r["result"].get("value")

    def wait_loaded(self, old_doc=None):
        for _ in range(200):
            time.sleep(0.05)
            try:
                # The mark sits on the root element: a new page (navigated to, or written by
                # the page itself after a background submit) has a new one.
                state = self.js("[document.readyState, document.documentElement.__doc || null]")
            except Failure:
                continue
            if state[0] == "complete" and (old_doc is None or state[1] != old_doc):
                self.js("document.documentElement.__doc = Math.random()")
                time.sleep(0.1)
                return
        raise Failure("the page did not load")

    def goto(self, url):
        self.call("Page.navigate", url=url)
        self.js("0")
        time.sleep(0.2)
        self.wait_loaded()

    def tap(self, selector, text=None, navigates=True):
        """Click the visible element matching selector (and containing text): one tap."""
        doc = self.js("document.documentElement.__doc")
        found = self.js(f"""(function() {{
            var els = Array.from(document.querySelectorAll({json.dumps(selector)}));
            var t = {json.dumps(text)};
            var el = els.find(function(e) {{ return (!t || e.textContent.indexOf(t) >= 0) && e.getClientRects().length; }});
            if (!el) return false;
            el.scrollIntoView({{block: "center"}});
            setTimeout(function() {{ el.click(); }}, 0);
            return true;
        }})()""")
        if not found:
            raise Failure(f"nothing to tap: {selector} {text or ''} on {self.url()}")
        self.taps += 1
        time.sleep(0.2)
        self.js("0")  # let a confirmation be answered
        if navigates:
            self.wait_loaded(doc)

    def fill(self, selector, value):
        ok = self.js(f"""(function() {{
            var el = document.querySelector({json.dumps(selector)});
            if (!el) return false;
            el.value = {json.dumps(value)};
            el.dispatchEvent(new Event('input', {{bubbles: true}}));
            return true;
        }})()""")
        if not ok:
            raise Failure(f"no field {selector} on {self.url()}")

    def url(self):
        return self.js("location.pathname + location.search")

    def text(self):
        return self.js("document.body.innerText")

    def expect(self, *texts):
        body = self.text()
        for t in texts:
            if t not in body:
                raise Failure(f"missing {t!r} on {self.url()}")

    def width(self):
        return self.js("document.documentElement.scrollWidth")

    def shot(self, path):
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))


class Run:
    def __init__(self, base, b, shots, tmp):
        self.base, self.b, self.shots, self.tmp = base, b, shots, tmp
        self.results, self.secrets, self.used = [], {}, {}

    def path(self, name, width, fn):
        self.b.taps = 0
        fn()
        target = TARGETS[name]
        ok = self.b.taps <= target
        self.results.append((name, width, self.b.taps, target, ok))
        print(f"  {'ok  ' if ok else 'LONG'} {name}: {self.b.taps} taps (target {target})")
        if not ok:
            raise Failure(f"{name} at {width} px took {self.b.taps} taps, target {target}")

    def login(self, user):
        b = self.b
        b.call("Network.clearBrowserCookies")
        b.goto(self.base + "/login")
        b.fill("[name=username]", user)
        b.fill("[name=password]", PASSWORD)
        b.tap("form[action='/login'] button[type=submit]")
        if b.js("!!document.querySelector('[name=pending_token]')"):
            b.fill("[name=code]", self.code(user))
            b.tap("form[action='/login/code'] button[type=submit]")
        if b.url().startswith("/account/2fa"):
            secret = b.js("document.getElementById('totp-secret').textContent.trim()")
            self.secrets[user] = secret
            b.fill("[name=code]", self.code(user))
            b.tap("form[action='/account/2fa'] button[type=submit]")
            b.tap("a.button.primary[href='/']")
        if b.url() != "/":
            raise Failure(f"{user} did not land on the home page: {b.url()}")

    def code(self, user):
        """A code of a 30-second window not used yet by this account (a code is used once)."""
        last = self.used.get(user)
        while int(time.time() // 30) == last:
            time.sleep(1)
        self.used[user] = int(time.time() // 30)
        return totp(self.secrets[user])

    def fits(self, what, width, prefix):
        """The page reached is under `prefix` and does not scroll sideways."""
        b = self.b
        if not b.url().startswith(prefix):
            raise Failure(f"the {what} did not open: {b.url()} {b.text()[:300]}")
        if b.width() > width:
            raise Failure(f"the {what} scrolls sideways at {width} px: {b.width()} px ({b.url()})")

    def home(self, role, width):
        b = self.b
        if b.width() > width:
            raise Failure(f"{role}'s home scrolls sideways at {width} px: {b.width()} px")
        header = b.js("document.querySelector('header.top').getBoundingClientRect().height")
        if header > HEADER_MAX:
            raise Failure(f"the header is {header} px high at {width} px (at most {HEADER_MAX})")
        b.shot(os.path.join(self.shots, f"{role}-{width}.png"))

    def secretary(self, width, day, shown, iso, second):
        b = self.b
        self.login("bithu")
        self.home("secretary", width)
        b.expect("Buổi sinh hoạt tới", "Việc đang chờ", "Tháng này")

        def schedule():
            b.tap("#schedule summary", navigates=False)
            picker = b.js("document.getElementById('held_on').type") == "date"
            if picker != (width < 700):
                raise Failure(f"the date field is {'a picker' if picker else 'typed'} at {width} px")
            b.js(f"""(function() {{ var el = document.getElementById('held_on');
                el.value = el.type === 'date' ? {json.dumps(iso)} : {json.dumps(day)}; }})()""")
            b.fill("#place", "Hội trường tổ dân phố")
            b.tap("#schedule button[type=submit]")
            if "/meetings/" not in b.url():
                raise Failure(f"scheduling did not lead to the meeting: {b.url()} {b.text()[:400]}")
        self.path("secretary: schedule a meeting", width, schedule)
        if second:
            # The same kind on the same day as the meeting of the first run: flagged in the list.
            here = b.url()
            b.goto(self.base + b.js("document.querySelector('nav.crumbs a[href*=\"/meetings?year\"]').getAttribute('href')"))
            if not b.js("!!document.querySelector('.duplicate')"):
                raise Failure("a second meeting of the same kind on the same day is not flagged")
            b.goto(self.base + here)

        b.goto(self.base + "/")
        def attendance():
            b.tap("a.button", "Điểm danh")
            b.tap(".mark-row:nth-of-type(1) input[value=excused] + label", navigates=False)
            b.fill(".mark-row:nth-of-type(1) .reason input", "Đi công tác")
            b.tap("form.attendance button[type=submit]")
        self.path("secretary: record the attendance", width, attendance)

        b.goto(self.base + "/")
        def minutes():
            b.tap("#waiting a", "Ghi biên bản: Sinh hoạt thường kỳ — " + shown)
            b.js(FILL_REQUIRED)
            b.tap("form .sticky-submit button.primary")
        self.path("secretary: write the minutes", width, minutes)
        if not (b.url().startswith("/meetings/") and "saved=1" in b.url()):
            raise Failure(f"the minutes did not save: {b.url()} {b.text()[:600]}")

        def approve():
            b.tap("form[data-confirm] button.primary")
        self.path("secretary: approve the minutes", width, approve)
        b.expect("Biên bản đã thông qua")

        # The demo's 2026 round waits for the cell's opinion on some of its members.
        b.goto(self.base + "/")
        self.path("secretary: open the cell's review opinions", width,
                  lambda: b.tap("#waiting a", "Cho ý kiến kiểm điểm"))
        self.fits("cell's review opinions", width, "/reviews/")

    def member(self, width):
        b = self.b
        self.login("dangvien")
        self.home("member", width)
        self.path("member: see the next meeting", width, lambda: b.expect("Sinh hoạt sắp tới"))

        def notice():
            b.fill("form[action$='/notice'] [name=reason]", "Đi công tác xa")
            b.tap("form[action$='/notice'] button[type=submit]")
            b.expect("Đi công tác xa")
        self.path("member: give a notice of absence", width, notice)
        self.path("member: withdraw the notice", width, lambda: b.tap("button.withdraw"))
        b.expect("Đã lưu")
        self.path("member: open own record", width, lambda: b.tap("a.own-record"))
        if not b.url().startswith("/members/"):
            raise Failure(f"the member's record did not open: {b.url()}")
        # The demo's 2026 round is open on its day: the member's home links to their line.
        b.goto(self.base + "/")
        self.path("member: open the annual self-assessment", width, lambda: b.tap("a.own-review"))
        self.fits("member's review", width, "/reviews/")

    def staff(self, width):
        b = self.b
        self.login("canbo")
        self.home("staff", width)
        # A member of the demo with marks in the name, read off the first organisation's list.
        org = b.js("document.querySelector('ul.tree a').href")
        b.goto(org + "?status=official")
        name = b.js("Array.from(document.querySelectorAll('.member-name')).map(function(e) "
                    "{ return e.textContent.trim(); }).find(function(n) { return /[^\\x00-\\x7f]/.test(n); })")
        if not name:
            raise Failure("no member name with diacritics on the organisation page")
        plain = strip_marks(name)
        b.goto(self.base + "/")

        def find():
            b.fill("#q", plain)
            b.tap("#find button[type=submit]")
            b.tap("#found a.member-name", name)
        self.path("staff: find a member without diacritics", width, find)
        b.expect(name)

        b.goto(self.base + "/")
        def drill():
            b.tap("a", "Số liệu sinh hoạt năm 2025")
            b.tap("a.missed-link")
        self.path("staff: from the 2025 figures to a missed month", width, drill)
        b.expect("2025")
        if not b.js("!!document.querySelector('.missed')"):
            raise Failure(f"the missed month is not marked on {b.url()}")
        self.import_and_print(width, org)

    def import_progress(self, org):
        """A large file sent over a slow link: the page shows how much is uploaded, then the
        result replaces it (the rows counted on the server show when the check is slow enough
        to be asked; printed, not required)."""
        b = self.b
        b.goto(org + "/import")
        rows = 20_000
        big = os.path.join(self.tmp, "danh-sach-lon.csv")
        with open(big, "w", encoding="utf-8") as f:
            f.write("Họ và tên,Ngày sinh,Giới tính,Ngày vào Đảng,Ngày chính thức,Chi bộ,Ghi chú\n")
            for i in range(rows):
                f.write(f"Lò Văn Pá {i},31/02/1990,Nam,01/01/2015,01/01/2016,Chi bộ không có,{'x' * 40}\n")
        size = os.path.getsize(big)
        b.call("Network.enable")
        b.call("Network.emulateNetworkConditions", offline=False, latency=20, downloadThroughput=-1,
               uploadThroughput=size / 4)  # bytes per second: about four seconds of upload
        root = b.call("DOM.getDocument")["root"]["nodeId"]
        node = b.call("DOM.querySelector", nodeId=root, selector="#file")["nodeId"]
        b.call("DOM.setFileInputFiles", files=[big], nodeId=node)
        doc = b.js("document.documentElement.__doc")
        b.tap("form[enctype] button[type=submit]", navigates=False)
        seen = []
        for _ in range(1200):
            time.sleep(0.1)
            state = b.js("[document.readyState, document.documentElement.__doc || null,"
                         " (document.querySelector('[data-progress-text]') || {}).textContent || '']")
            if state[2] and (not seen or seen[-1] != state[2]):
                seen.append(state[2])
                if len(seen) == 5:
                    b.shot(os.path.join(self.shots, "import-progress-360.png"))
            if state[0] == "complete" and state[1] != doc:
                break
        else:
            raise Failure("the large file's check did not answer")
        b.call("Network.emulateNetworkConditions", offline=False, latency=0, downloadThroughput=-1,
               uploadThroughput=-1)
        b.wait_loaded(doc)
        print("    progress shown:", " | ".join(seen[:3] + (["…"] if len(seen) > 6 else []) + seen[-3:]))
        uploading = [t for t in seen if t.startswith("Đang tải tệp lên: ")]
        if not any(0 < int(t.rsplit(" ", 1)[1].rstrip("%")) < 100 for t in uploading):
            raise Failure(f"no upload progress shown while the file was sent: {seen}")
        b.expect("Kết quả kiểm tra", str(rows))

    def import_and_print(self, width, org):
        """The import's check of a file with a mistake, then the report printed to PDF (A4, the
        print stylesheet) and its first page drawn as PNG: not blank, numbered, no form."""
        b = self.b
        b.goto(org + "/import")
        bad = os.path.join(self.tmp, "danh-sach.csv")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("Họ và tên,Ngày sinh,Giới tính,Ngày vào Đảng,Ngày chính thức,Chi bộ\n"
                    "Lò Văn Pá,31/02/1990,Nam,01/01/2015,01/01/2016,Chi bộ không có\n")

        def check():
            root = b.call("DOM.getDocument")["root"]["nodeId"]
            node = b.call("DOM.querySelector", nodeId=root, selector="#file")["nodeId"]
            b.call("DOM.setFileInputFiles", files=[bad], nodeId=node)
            b.taps += 1
            b.tap("form[enctype] button[type=submit]")
        self.path("staff: check a registry file", width, check)
        b.expect("31/02/1990", "Ngày sinh", "Chi bộ")
        if b.js("!!document.querySelector('form[data-confirm]')"):
            raise Failure("a file with mistakes can be confirmed")
        self.fits("import check", width, "/orgs/")
        b.shot(os.path.join(self.shots, f"import-check-{width}.png"))
        if width > 700:
            return
        self.import_progress(org)
        # Trends over the years: two charts and the table fit a phone, with its spreadsheet.
        b.goto(org + "/report/trends")
        b.expect("Xu hướng qua các năm", "Đảng viên cuối năm", "Xuất Excel")
        self.fits("trends", width, "/orgs/")
        b.shot(os.path.join(self.shots, f"report-trends-{width}.png"))
        b.goto(org + "/report?period=2025")
        b.call("Emulation.setEmulatedMedia", media="print")
        hidden = b.js("(function() { var els = Array.from(document.querySelectorAll('.no-print, header.top'));"
                      " return els.length >= 3 && els.every(function(e) {"
                      " return getComputedStyle(e).display === 'none'; }); })()")
        b.call("Emulation.setEmulatedMedia", media="")
        if not hidden:
            raise Failure("the printed report shows its form or buttons")
        path, pages, text = self.print_pdf("report")
        signed = "NGƯỜI LẬP BIỂU" in text and "BÍ THƯ" in text
        if pages < 1 or "Tuổi đời" not in text or not signed or not re.search(rf"\b1\s*/\s*{pages}\b", text):
            raise Failure(f"the printed report: {pages} pages, text {text[:300]!r}")
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", path,
                        os.path.join(self.shots, "report-print")], check=True)
        # The last page, with the signatures.
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(pages), "-l", str(pages), "-singlefile", path,
                        os.path.join(self.shots, "report-print-last")], check=True)
        gray = subprocess.run(["pdftoppm", "-gray", "-r", "30", "-f", "1", "-l", "1", "-singlefile", path],
                              capture_output=True, check=True).stdout
        pixels = gray.split(b"\n", 3)[3]
        dark = sum(1 for p in pixels if p < 128)
        if dark < len(pixels) // 200:
            raise Failure(f"the printed report's first page is nearly blank ({dark} dark pixels)")
        print(f"  ok   printed report: {pages} A4 pages, signed; first and last pages drawn in "
              "docs/screenshots/report-print.png and report-print-last.png")
        # The member list printed whole: a table with its header row on A4, not a phone's cards.
        b.goto(org + "/members/print?status=official")
        b.expect("DANH SÁCH ĐẢNG VIÊN", "Họ và tên")
        self.fits("member list print page", width, "/orgs/")
        path, pages, text = self.print_pdf("member-list")
        header = next((line for line in text.splitlines() if "Họ và tên" in line), "")
        row = re.compile(r"\w \w+ +\d\d/\d\d/\d{4} +(Nam|Nữ) +Chính thức +\d\d/\d\d/\d{4}")
        whole_rows = sum(1 for line in text.splitlines() if row.search(line))
        if "Ngày sinh" not in header or whole_rows < 3 or not re.search(rf"\b1\s*/\s*{pages}\b", text):
            raise Failure(f"the printed member list has no header row: {text[:400]!r}")
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", path,
                        os.path.join(self.shots, "member-list-print")], check=True)
        print(f"  ok   printed member list: {pages} A4 pages, one header row of columns; first page drawn "
              "in docs/screenshots/member-list-print.png")

    def print_pdf(self, name):
        """The page printed by Chromium (A4, the print stylesheet): its file, pages and text."""
        pdf = base64.b64decode(self.b.call("Page.printToPDF", printBackground=False, preferCSSPageSize=True)["data"])
        path = os.path.join(self.tmp, f"{name}.pdf")
        with open(path, "wb") as f:
            f.write(pdf)
        pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", path], capture_output=True,
                                                                   text=True).stdout).group(1))
        text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True).stdout
        return path, pages, text

    def inspector(self, width):
        b = self.b
        self.login("kiemtra")
        self.home("inspector", width)
        self.path("inspector: see the inspection work", width, lambda: b.expect("Công tác kiểm tra"))
        self.path("inspector: open the committee's inspections", width, lambda: b.tap("#inspection a"))
        self.fits("inspection page", width, "/orgs/")
        hub = b.url()
        title = f"Chương trình kiểm tra (sửa {int(time.time()) % 10000})"

        def edit():
            b.tap("a.programme-edit")
            b.fill("[name=title]", title)
            b.tap("form[action*='/inspection/programmes/'] button[type=submit]")
        self.path("inspector: rename a programme", width, edit)
        b.expect(title)
        self.fits("inspection page after the edit", width, hub)
        # A concluded case of the demo has its printed notice, numbered "Số …-TB/…".
        cases = b.js("Array.from(document.querySelectorAll('#cases a')).map(function(a) { return a.href; })")
        for href in cases[:40]:
            b.goto(href)
            if b.js("!!document.querySelector('.actions a.button[href$=\"/print\"]')"):
                break
        else:
            raise Failure(f"no concluded case with a printed notice among {len(cases)} cases")
        self.fits("case", width, "/inspection/cases/")
        self.path("inspector: print a case's notice", width, lambda: b.tap(".actions a.button[href$='/print']"))
        b.expect("-TB/", "THÔNG BÁO KẾT LUẬN")
        self.fits("printed notice", width, "/inspection/cases/")
        b.shot(os.path.join(self.shots, f"inspection-notice-{width}.png"))
        # The committee's organisation keeps its history (the 2025 restructuring, discipline).
        b.goto(self.base + hub.split("/inspection")[0])
        b.expect("Lịch sử tổ chức")
        self.fits("organisation page", width, "/orgs/")


# Fill every empty required field of the minutes: times, texts, the first choice of a select.
FILL_REQUIRED = """(function() {
  document.querySelectorAll('.field').forEach(function(f) {
    if (!f.querySelector('label abbr')) return;
    var el = f.querySelector('input, select, textarea');
    if (!el || el.value) return;
    if (el.tagName === 'SELECT') { if (el.options.length > 1) el.selectedIndex = 1; }
    else if (el.type === 'time' || /HH:MM/.test(f.textContent)) el.value = el.id === 'ends_at' ? '21:00' : '19:30';
    else if (el.type === 'number' || el.inputMode === 'numeric') el.value = '0';
    else el.value = 'Chi bộ thảo luận và thống nhất.';
  });
  return true;
})()"""


def strip_marks(s):
    import unicodedata
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn").lower()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=None)
    ap.add_argument("--shots", default=os.path.join(ROOT, "docs", "screenshots"))
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    binary = os.path.abspath(args.bin) if args.bin else next((p for p in [os.path.join(ROOT, "target", "release", "chibo"),
                                           os.path.join(ROOT, "target", "debug", "chibo")]
                               if os.path.exists(p)), None)
    if not binary:
        sys.exit("no chibo binary: build it first (cargo build -p chibo)")
    os.makedirs(args.shots, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="chibo-browser-")
    port, cdp = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, CHIBO_ADMIN_PASSWORD=PASSWORD)
    server = subprocess.Popen([binary, "serve", "--db", f"sqlite://{tmp}/chibo.db", "--bind", f"127.0.0.1:{port}",
                               "--demo", "commune", "--demo-passwords"],
                              cwd=tmp, env=env, stdout=open(f"{tmp}/serve.log", "w"), stderr=subprocess.STDOUT)
    chrome = None
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except Exception:
                if server.poll() is not None:
                    sys.exit(f"chibo serve stopped: see {tmp}/serve.log")
                time.sleep(0.2)
        chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        if not chromium:
            sys.exit("no chromium: apt-get install -y chromium")
        chrome = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", "--lang=vi", f"--user-data-dir={tmp}/chrome", f"--remote-debugging-port={cdp}",
             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        page = None
        for _ in range(100):
            try:
                page = next(t for t in json.load(urllib.request.urlopen(f"http://127.0.0.1:{cdp}/json"))
                            if t["type"] == "page")
                break
            except Exception:
                time.sleep(0.2)
        ws = websocket.create_connection(page["webSocketDebuggerUrl"], suppress_origin=True, timeout=60)
        b = Browser(ws)
        b.call("Page.enable")
        b.call("Network.enable")
        run = Run(base, b, args.shots, tmp)
        today = server_today(f"{tmp}/serve.log")
        print(f"== the server's working day: {today.isoformat()}")
        failures = []
        for i, (width, height, mobile) in enumerate(WIDTHS):
            b.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                   mobile=mobile)
            print(f"== {width} px")
            # The phone picks the date (touch: the platform's picker); the desk types it short.
            b.call("Emulation.setTouchEmulationEnabled", enabled=mobile)
            day = today.strftime("%d%m%Y") if i == 0 else today.strftime("%-d/%-m/%Y")
            for role, fn in [("secretary", lambda: run.secretary(width, day, today.strftime("%d/%m/%Y"), today.isoformat(), i > 0)),
                             ("member", lambda: run.member(width)),
                             ("staff", lambda: run.staff(width)),
                             ("inspector", lambda: run.inspector(width))]:
                try:
                    fn()
                except Failure as e:
                    print(f"  FAIL {role}: {e}")
                    failures.append(f"{role} at {width} px: {e}")
        print("targets (most taps):", json.dumps(TARGETS, ensure_ascii=False, indent=1))
        if failures:
            print("\n".join(["FAILED:"] + failures))
            sys.exit(1)
        print(f"every path within its target at {', '.join(str(w) for w, _, _ in WIDTHS)} px; "
              f"screenshots in {args.shots}")
    finally:
        if chrome:
            chrome.kill()
        server.terminate()
        server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
