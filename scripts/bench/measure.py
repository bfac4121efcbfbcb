"""Measure a running Qadam from the outside (issue 12, point 6): what each page weighs on the
wire, how long it takes (p50, p95) and how many SQL statements it runs, what a teacher's
first session downloads, how many sync ops a second the server applies, and Lighthouse's
scores where Lighthouse is installed. Run by scripts/benchmark, which starts the server
(gunicorn, QADAM_COUNT_STATEMENTS=1) on a database it prepared; by hand:

    python -m scripts.bench.measure --url http://127.0.0.1:8300 --database-url URL \
        --password P --access-log FILE [--label demo]

Only the standard library speaks HTTP here (http.client): it gives the bytes as they came.
"""

import argparse
import gzip
import http.client
import json
import re
import shutil
import statistics
import subprocess  # nosec B404 - Lighthouse, when installed
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlencode, urlsplit

import brotli
import pyotp
from sqlalchemy import create_engine, text

ALMATY = timezone(timedelta(hours=5))
ROUNDS = 20  # requests per page for p50 and p95


@dataclass
class Answer:
    status: int
    headers: dict
    raw: bytes  # the body as it came over the wire
    seconds: float

    def text(self) -> str:
        encoding = self.headers.get("content-encoding", "")
        body = self.raw
        if encoding == "br":
            body = brotli.decompress(body)
        elif encoding == "gzip":
            body = gzip.decompress(body)
        return body.decode("utf-8")

    @property
    def statements(self) -> int | None:
        found = self.headers.get("x-qadam-statements")
        return int(found) if found is not None else None


@dataclass
class Browser:
    """A person's browser without the browser: one connection, one session cookie."""

    base: str
    cookies: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        parts = urlsplit(self.base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)

    def send(self, method, path, body=None, headers=None, encoding="br, gzip") -> Answer:
        sent = {"Accept-Encoding": encoding, "Accept-Language": "kk", "Origin": self.base}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent |= headers or {}
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()  # the server closed a kept-alive connection: once more
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
        raw = response.read()
        seconds = time.perf_counter() - started
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        headers = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, headers, raw, seconds)

    def get(self, path, **options) -> Answer:
        return self.send("GET", path, **options)

    def post_form(self, path, data: dict) -> Answer:
        body = urlencode(data)
        return self.send("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def csrf_token(self, path="/login") -> str:
        return csrf_token_of(self.get(path).text())


def csrf_token_of(html: str) -> str:
    """The CSRF token of the page's form."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def log_in(base: str, email: str, password: str, engine) -> Browser:
    browser = Browser(base)
    token = browser.csrf_token()
    answer = browser.post_form(
        "/login", {"email": email, "password": password, "csrf_token": token}
    )
    if answer.status == 303 and answer.headers["location"].startswith("/login/code"):
        with engine.connect() as conn:
            secret = conn.execute(
                text('SELECT totp_secret FROM "user" WHERE email = :email'), {"email": email}
            ).scalar_one()
        token = browser.csrf_token("/login/code")
        code = pyotp.TOTP(secret).now()
        answer = browser.post_form("/login/code", {"code": code, "csrf_token": token})
    if answer.status != 303:
        raise SystemExit(f"{email} could not log in: {answer.status}")
    return browser


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_page(browser: Browser, path: str) -> dict:
    packed = browser.get(path)
    plain = browser.get(path, encoding="identity")
    if packed.status != 200:
        raise SystemExit(f"{path}: {packed.status}")
    times, statements = [], []
    for _ in range(ROUNDS):
        answer = browser.get(path)
        times.append(answer.seconds * 1000)
        statements.append(answer.statements)
    return {
        "bytes": len(packed.raw),
        "bytes_plain": len(plain.raw),
        "encoding": packed.headers.get("content-encoding", "none"),
        "p50_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "statements": max(s for s in statements if s is not None)
        if statements[0] is not None
        else None,
    }


def measure_roll_call_save(browser: Browser, class_id: str) -> dict:
    """The online save of a whole roll call in one request, as the form sends it: each round
    reads the page (not timed), then marks every child the other way (present <-> absent), so
    that every mark of the class is written each time."""
    path = f"/classes/{class_id}/roll-call"

    def form(html: str, _round: int) -> dict:
        data = {
            "csrf_token": csrf_token_of(html),
            "day": re.search(r'name="day" value="([^"]+)"', html).group(1),
        }
        for child, version in re.findall(r'name="version-([^"]+)" value="(\d+)"', html):
            checked = re.search(rf'name="status-{child}" value="(\w+)"\s+checked', html)
            data[f"status-{child}"] = "absent" if checked and checked[1] == "present" else "present"
            data[f"version-{child}"] = version
        return data

    return timed_saves(browser, path, form)


def timed_saves(browser: Browser, path: str, form) -> dict:
    """ROUNDS saves of the form at `path`: each round reads the page (not timed), fills it
    with form(html, round) and posts it, which must answer 303."""
    times, statements, size = [], [], 0
    for number in range(ROUNDS):
        answer = browser.post_form(path, form(browser.get(path).text(), number))
        if answer.status != 303:
            raise SystemExit(f"POST {path}: {answer.status}")
        times.append(answer.seconds * 1000)
        statements.append(answer.statements)
        size = len(answer.raw)
    return {
        "bytes": size,
        "bytes_plain": size,
        "p50_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "statements": max(statements) if statements[0] is not None else None,
    }


def measure_results_save(args, engine, email: str) -> dict | None:
    """The online save of a class's term results for one subject in one request, by the
    teacher of the largest marked class (grade 2 and up) of `email`'s district: each round
    reads the sheet (not timed), then gives every child another percentage (80 <-> 60), so
    that every result of the class is corrected each time (the first round creates them)."""
    found = marked_sheet_near(engine, email)
    if found is None:
        return None
    teacher, path, children = found
    browser = log_in(args.url, teacher, args.password, engine)

    def form(html: str, number: int) -> dict:
        data = {"csrf_token": csrf_token_of(html)}
        for child, version in re.findall(r'name="version-([^"]+)" value="(\d+)"', html):
            data[f"version-{child}"] = version
            data[f"percentage-{child}"] = "80" if number % 2 else "60"
        return data

    return {"children": children} | timed_saves(browser, path, form)


SQL_MARKED_CLASS = """
SELECT u.email, c.id, c.grade, c.academic_year, count(k.id) AS size
FROM school_class c
JOIN school s ON s.id = c.school_id
JOIN class_teacher ct ON ct.class_id = c.id
JOIN "user" u ON u.id = ct.user_id
JOIN child k ON k.class_id = c.id
WHERE c.archived_at IS NULL AND c.grade >= 2 AND s.district = (
  SELECT s2.district FROM school s2 JOIN school_class c2 ON c2.school_id = s2.id
  JOIN class_teacher ct2 ON ct2.class_id = c2.id JOIN "user" u2 ON u2.id = ct2.user_id
  WHERE u2.email = :email LIMIT 1)
GROUP BY u.email, c.id, c.grade, c.academic_year
ORDER BY size DESC, c.id LIMIT 1
"""


def marked_sheet_near(engine, email: str) -> tuple[str, str, int] | None:
    """(teacher, the sheet of the first subject in the latest term begun, children listed)."""
    with engine.connect() as conn:
        row = conn.execute(text(SQL_MARKED_CLASS), {"email": email}).first()
        if row is None:
            return None
        subject = conn.execute(
            text(
                "SELECT id FROM subject WHERE grade_from <= :g AND grade_to >= :g "
                "ORDER BY position, code LIMIT 1"
            ),
            {"g": row.grade},
        ).scalar()
        term = conn.execute(
            text(
                "SELECT number FROM term WHERE academic_year = :year AND starts_on <= :today "
                "ORDER BY number DESC LIMIT 1"
            ),
            {"year": row.academic_year, "today": date.today()},
        ).scalar()
    if subject is None or term is None:
        return None
    return row.email, f"/classes/{row.id}/results/{subject}/{term}", row.size


def first_class_of(engine, email: str) -> tuple[str, list[str]]:
    with engine.connect() as conn:
        class_id = conn.execute(
            text(
                'SELECT ct.class_id FROM class_teacher ct JOIN "user" u ON u.id = ct.user_id '
                "JOIN school_class c ON c.id = ct.class_id "
                "WHERE u.email = :email AND c.archived_at IS NULL ORDER BY c.grade LIMIT 1"
            ),
            {"email": email},
        ).scalar_one()
        children = conn.execute(
            text("SELECT id FROM child WHERE class_id = :c AND left_on IS NULL ORDER BY id"),
            {"c": class_id},
        ).scalars()
        return str(class_id), [str(child) for child in children]


def first_child_of_caseload(engine, email: str) -> str:
    with engine.connect() as conn:
        return str(
            conn.execute(
                text(
                    'SELECT c.child_id FROM caseload c JOIN "user" u ON u.id = c.user_id '
                    "WHERE u.email = :email ORDER BY c.child_id LIMIT 1"
                ),
                {"email": email},
            ).scalar_one()
        )


def pages(args, engine, people: dict) -> list[tuple[str, str, dict]]:
    """(who, page, figures) for the main pages of each role."""
    rows = []
    public = Browser(args.url)
    rows.append(("anyone", "/login", measure_page(public, "/login")))
    teacher = log_in(args.url, people["teacher"], args.password, engine)
    class_id, _children = first_class_of(engine, people["teacher"])
    for path in ("/today", f"/classes/{class_id}/roll-call"):
        rows.append(("teacher", _short(path), measure_page(teacher, path)))
    rows.append(("teacher", "POST roll call", measure_roll_call_save(teacher, class_id)))
    results = measure_results_save(args, engine, people["teacher"])
    if results is not None:
        rows.append(("teacher", f"POST results ({results['children']})", results))
    worker = log_in(args.url, people["social_worker"], args.password, engine)
    child = first_child_of_caseload(engine, people["social_worker"])
    for path in ("/caseload", f"/children/{child}", "/tasks"):
        rows.append(("social worker", _short(path), measure_page(worker, path)))
    member = log_in(args.url, people["committee_member"], args.password, engine)
    for path in ("/district", "/committee/due", "/meetings"):
        rows.append(("committee", path, measure_page(member, path)))
    return rows


def _short(path: str) -> str:
    return re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", path)


def roll_call_bytes(args, engine, email: str) -> dict:
    """The roll call opened with an empty cache by a signed-in teacher: the page and what it
    loads until its scripts have taken over the form, compressed as sent (what the service
    worker precaches and the copies kept offline come after, and are not counted)."""
    from playwright.sync_api import sync_playwright

    teacher = log_in(args.url, email, args.password, engine)
    class_id, _ = first_class_of(engine, email)
    sizes: dict[str, int] = {}
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=args.chromium, args=["--no-sandbox"], headless=True
        )
        context = chromium.new_context(
            viewport={"width": 360, "height": 640}, is_mobile=True, service_workers="block"
        )
        context.add_cookies(
            [{"name": k, "value": v, "url": args.url} for k, v in teacher.cookies.items()]
        )
        page = context.new_page()

        def finished(request) -> None:
            sizes.setdefault(request.url, request.sizes()["responseBodySize"])

        page.on("requestfinished", finished)
        page.goto(f"{args.url}/classes/{class_id}/roll-call")
        page.locator("html[data-scripts-ready]").wait_for(state="attached", timeout=60_000)
        counted = dict(sizes)
        # What finishes later (the offline copies) is not counted, nor asked about once the
        # browser is closed.
        page.remove_listener("requestfinished", finished)
        chromium.close()
    return {"requests": len(counted), "bytes": sum(counted.values())}


def first_session_bytes(args, email: str) -> dict | None:
    """A teacher's whole first session in Chromium (login → Today, with everything kept for
    offline use), counted by the server's access log: the bodies as sent, compressed."""
    if not args.access_log:
        return None
    from playwright.sync_api import sync_playwright

    start = _log_size(args.access_log)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=args.chromium, args=["--no-sandbox"], headless=True
        )
        context = chromium.new_context(
            viewport={"width": 360, "height": 640}, is_mobile=True, locale="kk-KZ"
        )
        page = context.new_page()
        page.goto(f"{args.url}/login")
        page.fill("#email", email)
        page.fill("#password", args.password)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(re.compile(r"/today$"), timeout=60_000)
        page.locator("html[data-offline-ready]").wait_for(state="attached", timeout=120_000)
        page.wait_for_load_state("networkidle")
        time.sleep(1)
        chromium.close()
    requests = _log_lines(args.access_log, start)
    groups: dict[str, list[int]] = {}
    for size, request in requests:
        group = groups.setdefault(request, [0, 0])
        group[0] += 1
        group[1] += size
    return {
        "requests": len(requests),
        "bytes": sum(size for size, _line in requests),
        "groups": sorted(groups.items(), key=lambda item: -item[1][1])[:12],
    }


def _log_size(path: str) -> int:
    with open(path, "rb") as log:
        return len(log.read())


def _log_lines(path: str, start: int) -> list[tuple[int, str]]:
    with open(path, "rb") as log:
        log.seek(start)
        lines = log.read().decode().splitlines()
    found = []
    for line in lines:
        size, _, request = line.partition(" ")
        found.append((int(size) if size.isdigit() else 0, _short(request)))
    return found


def sync_rate(args, engine, emails: list[str], batch: int = 200) -> dict:
    """Attendance ops applied a second: each teacher's phone sends the marks of its first
    class for the last school days in batches, all phones at once."""
    results: list[tuple[Counter, float]] = []

    def phone(email: str) -> None:
        browser = log_in(args.url, email, args.password, engine)
        token = browser.csrf_token("/today")
        class_id, children = first_class_of(engine, email)
        days = _school_days(7)  # the days a teacher may still correct
        ops = [
            _attendance_op(class_id, child, day, n)
            for n, (day, child) in enumerate((d, c) for d in days for c in children)
        ]
        device = str(uuid.uuid4())
        for start in range(0, len(ops), batch):
            body = json.dumps({"device_id": device, "ops": ops[start : start + batch]})
            headers = {"Content-Type": "application/json", "X-CSRFToken": token}
            answer = browser.send("POST", "/api/sync", body, headers)
            if answer.status != 200:
                raise SystemExit(f"sync answered {answer.status}: {answer.text()[:200]}")
            found = Counter(r["result"] for r in json.loads(answer.text())["results"])
            results.append((found, answer.seconds))

    started = time.perf_counter()
    threads = [threading.Thread(target=phone, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - started
    answered = sum((found for found, _ in results), Counter())
    total = sum(answered.values())
    return {
        "phones": len(emails),
        "answered": dict(answered),
        "ops": total,
        "seconds": took,
        "ops_per_second": total / took if took else 0,
        "slowest_batch_s": max((s for _, s in results), default=0),
    }


def _school_days(count: int) -> list[date]:
    days, day = [], datetime.now(ALMATY).date()
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return days


def _attendance_op(class_id: str, child: str, day: date, n: int) -> dict:
    return {
        "op_id": str(uuid.uuid4()),
        "kind": "attendance_mark",
        "record_id": str(uuid.uuid4()),
        "base_version": 0,
        "seq": n + 1,
        "recorded_at": datetime.now(ALMATY).isoformat(timespec="seconds"),
        "payload": {
            "child_id": child,
            "class_id": class_id,
            "day": day.isoformat(),
            "status": "absent" if n % 9 == 0 else "present",
            "reason": None,
        },
    }


def lighthouse(args, engine, email: str) -> list[tuple[str, dict]] | None:
    """Lighthouse's mobile scores for the login, Today and the roll call, if installed."""
    binary = shutil.which("lighthouse") or shutil.which("lighthouse", path="node_modules/.bin")
    if not binary:
        return None
    teacher = log_in(args.url, email, args.password, engine)
    cookie = "; ".join(f"{k}={v}" for k, v in teacher.cookies.items())
    class_id, _ = first_class_of(engine, email)
    scores = []
    for path, headers in (
        ("/login", None),
        ("/today", {"Cookie": cookie}),
        (f"/classes/{class_id}/roll-call", {"Cookie": cookie}),
    ):
        with tempfile.NamedTemporaryFile(suffix=".json") as report:
            command = [
                binary,
                f"{args.url}{path}",
                "--quiet",
                "--output=json",
                f"--output-path={report.name}",
                "--chrome-flags=--headless --no-sandbox",
                "--only-categories=performance,accessibility,best-practices,seo",
            ]
            if headers:
                command.append(f"--extra-headers={json.dumps(headers)}")
            environment = {"CHROME_PATH": args.chromium, "PATH": "/usr/bin:/bin"}
            # The command is this script's own, with the URL it was given.
            subprocess.run(command, check=False, env=environment, timeout=300)  # noqa: S603 # nosec B603
            try:
                with open(report.name, encoding="utf-8") as written:
                    lighthouse_report = json.load(written)
                found = lighthouse_report["categories"]
            except (ValueError, KeyError):
                continue
        # A page that sent Lighthouse elsewhere (the login, for a lapsed session) says so.
        shown = urlsplit(lighthouse_report.get("finalDisplayedUrl", "")).path
        label = _short(path) if shown == path else f"{_short(path)} (shown: {_short(shown)})"
        scores.append((label, {name: round(100 * c["score"]) for name, c in found.items()}))
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--people", default="{}", help="JSON: role -> email")
    parser.add_argument("--access-log")
    parser.add_argument("--label", default="")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--sync-phones", type=int, default=4)
    parser.add_argument("--lighthouse", action="store_true")
    args = parser.parse_args()
    people = {
        "teacher": "teacher@qadam.example",
        "social_worker": "social.worker@qadam.example",
        "committee_member": "committee@qadam.example",
    } | json.loads(args.people)
    engine = create_engine(args.database_url)
    title = f" ({args.label})" if args.label else ""

    print(f"\n## Pages{title}: {ROUNDS} requests each, one at a time")
    head = ("who", "page", "KB br", "KB raw", "p50 ms", "p95 ms", "SQL")
    print("{:<14} {:<26} {:>6} {:>7} {:>7} {:>7} {:>4}".format(*head))
    for who, path, row in pages(args, engine, people):
        print(
            f"{who:<14} {path:<26} {row['bytes'] / 1024:6.1f} {row['bytes_plain'] / 1024:7.1f}"
            f" {row['p50_ms']:7.1f} {row['p95_ms']:7.1f} {row['statements'] or '-':>4}"
        )

    session = first_session_bytes(args, people["teacher"])
    if session:
        print(f"\n## A teacher's first session{title} (login → Today, offline copies saved)")
        print(f"{session['requests']} requests, {session['bytes'] / 1024:.1f} KB on the wire")
        for request, (count, size) in session["groups"]:
            print(f"  {size / 1024:6.1f} KB  {count:3d} × {request}")

    roll_call = roll_call_bytes(args, engine, people["teacher"])
    print(f"\n## The roll call with an empty cache{title} (until its scripts are ready)")
    print(f"{roll_call['requests']} requests, {roll_call['bytes'] / 1024:.1f} KB on the wire")

    teachers = _teachers(engine, people["teacher"], args.sync_phones)
    rate = sync_rate(args, engine, teachers)
    print(f"\n## Sync{title}: {rate['phones']} phones at once, batches of 200 attendance ops")
    print(
        f"{rate['ops']} ops answered in {rate['seconds']:.1f} s: {rate['ops_per_second']:.0f} "
        f"ops/s (slowest batch {rate['slowest_batch_s']:.1f} s); {rate['answered']}"
    )

    if args.lighthouse:
        scores = lighthouse(args, engine, people["teacher"])
        print(f"\n## Lighthouse, mobile{title}")
        if scores is None:
            print("not installed (npm install lighthouse, then run again)")
        for path, found in scores or []:
            print(f"{path:<26} " + "  ".join(f"{k} {v}" for k, v in found.items()))


def _teachers(engine, first: str, count: int) -> list[str]:
    """`first` and other teachers of the same district with a class."""
    with engine.connect() as conn:
        found = conn.execute(
            text(
                'SELECT DISTINCT u.email FROM "user" u JOIN class_teacher ct ON ct.user_id = u.id '
                "WHERE u.role = 'teacher' AND u.totp_enabled_at IS NULL AND u.email <> :first "
                "ORDER BY u.email LIMIT :n"
            ),
            {"first": first, "n": count - 1},
        ).scalars()
        return [first, *found]


if __name__ == "__main__":
    main()
