"""Real-browser fixtures: the app served on a local port, driven by Debian's Chromium.

The server runs in a thread of the test process, so it shares the test database and the
frozen date. Every page is a 360×640 touch phone; see `locale` for its language.
"""

import os
import re
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta, timezone

import pytest
from flask import url_for
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from sqlalchemy import insert
from werkzeug.serving import WSGIRequestHandler, make_server

from app.auth.models import Role
from app.children.models import caseload
from app.extensions import db
from app.pwa import shell
from tests.browser.gate import GATE, Gate, serving
from tests.casework_factories import PlacementFactory
from tests.conftest import ROOT, TODAY, logged_in_session
from tests.factories import PASSWORD, ChildFactory, UserFactory, two_factor_code

CHROMIUM = "/usr/bin/chromium"  # `playwright install` cannot download here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # One renderer process for the one site under test, as on a phone short of memory:
    # measured, a tenth less CPU for the browser tests, and they are half of the suite's.
    "--renderer-process-limit=1",
    "--disable-site-isolation-trials",
]
PHONE = {
    "viewport": {"width": 360, "height": 640},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
}
ARTIFACTS = os.path.join(ROOT, "test-artifacts")
# 08:30 in Almaty on the suite's frozen school day.
PHONE_NOW = datetime.combine(TODAY, time(8, 30), tzinfo=timezone(timedelta(hours=5)))
_reports = pytest.StashKey[dict]()


def pytest_collection_modifyitems(items):
    folder = os.path.dirname(os.path.abspath(__file__))
    for item in items:
        if str(item.path).startswith(folder + os.sep):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so a fixture can tell that its test failed."""
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


class _QuietHandler(WSGIRequestHandler):
    """No line per request; errors are still logged."""

    def log_request(self, *args, **kwargs) -> None:
        pass


@pytest.fixture(autouse=True)
def gate() -> Iterator[Gate]:
    """Open the live server's door for this test alone (see Gate). Torn down after the
    test's own fixtures (its phone wiped), before the database is emptied."""
    GATE.open()
    yield GATE
    GATE.close()


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, serving(app), threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser(live_server) -> Iterator[Browser]:
    # Depends on live_server only so that the browser closes before the server stops.
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("QADAM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and the browser tests are required")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def worker():
    """A social worker (the casework tests' user)."""
    return UserFactory(role=Role.SOCIAL_WORKER)


@pytest.fixture
def child(worker):
    """A child on `worker`'s caseload, placed since June, as a home visit needs."""
    child = ChildFactory()
    db.session.execute(insert(caseload).values(user_id=worker.id, child_id=child.id))
    PlacementFactory(child_obj=child, worker=worker, starts_on=date(2026, 6, 1))
    return child


@pytest.fixture
def locale() -> str:
    """The phone's language (Accept-Language); parametrize `locale` to change it."""
    return "kk-KZ"


def _as_a_phone(context: BrowserContext, script_errors: list[str]) -> BrowserContext:
    context.set_default_timeout(5_000)
    # The phone's clock shows the suite's "today" (the server's is frozen too).
    context.clock.set_system_time(PHONE_NOW)
    context.on("weberror", lambda error: script_errors.append(str(error.error)))
    return context


def _failed(request) -> bool:
    reports = request.node.stash.get(_reports, {})
    return any(report.failed for report in reports.values())


@pytest.fixture
def new_context(browser, live_server, locale, request) -> Iterator[Callable[..., BrowserContext]]:
    """Open a new phone-sized context, as a phone that never opened Qadam; keyword arguments
    override the defaults."""
    contexts: list[BrowserContext] = []

    def open_context(**options) -> BrowserContext:
        context = browser.new_context(
            **(PHONE | {"base_url": live_server, "locale": locale} | options)
        )
        _as_a_phone(context, script_errors)
        if options.get("java_script_enabled", True):
            new_page = context.new_page
            context.new_page = lambda: scripts_awaited(new_page())
        contexts.append(context)
        return context

    script_errors: list[str] = []
    yield open_context
    failed = _failed(request)
    for number, context in enumerate(contexts):
        if failed:
            _screenshot(context, request.node.nodeid, number)
        context.close()
    if not failed:
        assert script_errors == [], f"uncaught errors in the page's scripts: {script_errors}"


# Every kind of storage a site has but two: the service worker and the Cache API, which
# Storage.clearDataForOrigin would take with "all". See _Phone.wipe.
_ALL_BUT_THE_SHELL = ",".join(
    [
        *("cookies", "file_systems", "indexeddb", "local_storage", "shader_cache", "websql"),
        *("interest_groups", "shared_storage"),
    ]
)


_KEEP_THE_SHELL_JS = """
async ({cache, urls, offline, lang}) => {
  const names = await caches.keys();
  const shells = names.filter((name) => name.startsWith("qadam-shell-"));
  if (shells.length !== 1 || shells[0] !== cache) return false;
  const shell = await caches.open(cache);
  const held = (await shell.keys()).map((request) => {
    const url = new URL(request.url);
    return url.pathname + url.search;
  });
  if (held.length !== urls.length || !urls.every((url) => held.includes(url))) return false;
  // The offline page is in the language of whoever was logged in when it was kept.
  const page = await (await shell.match(offline)).text();
  if (!page.includes(`<html lang="${lang}"`)) return false;
  for (const name of names) if (name !== cache) await caches.delete(name);
  return true;
}
"""


class _Phone:
    """A phone kept from one test to the next, as a phone on which Qadam was opened before
    and nobody's data is left: between two tests everything a user left on it is wiped
    (cookies, storage, the outbox, saved pages); what stays is the browser's HTTP cache and
    the app's shell — the service worker and its cache of the app's own files, the same for
    every user and every test of a run (see wipe). Opening a browser context and loading
    every script afresh costs more than most tests themselves, on both databases; installing
    the worker again, measured, a fifth of a login's CPU and a tenth of the browser tests'.
    A test about the worker's first installation opens a phone that never opened Qadam
    (new_context)."""

    def __init__(self, browser: Browser, options: dict, origin: str, shell: dict) -> None:
        self.script_errors: list[str] = []
        self.origin = origin
        self.lang = options["locale"].split("-")[0]
        self.shell = shell  # see shell_of_this_run
        self.context = _as_a_phone(browser.new_context(**options), self.script_errors)
        # A blank page of its own, from which the phone's storage is wiped between tests. It
        # also keeps the phone's renderer process alive between tests: without a page, the
        # process ends and the next test's page starts a new one, which costs more than the
        # blank page ever does (measured: a second of CPU a test against 0.065 s a second).
        self.janitor = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.janitor)

    def page(self) -> Page:
        self.script_errors.clear()
        return scripts_awaited(self.context.new_page())

    def wipe(self, everything: bool = False) -> None:
        """Wipe what the last test left; `everything`, the app's shell too."""
        for page in self.context.pages:
            if page != self.janitor:
                page.close()
        self.context.unroute_all(behavior="ignoreErrors")
        self.context.set_offline(False)
        self.context.clock.set_system_time(PHONE_NOW)
        self.context.clear_cookies()
        types = "all"
        if not everything and self.shell_kept():
            types = _ALL_BUT_THE_SHELL
        self.cdp.send("Storage.clearDataForOrigin", {"origin": self.origin, "storageTypes": types})

    def shell_kept(self) -> bool:
        """Delete every cache but the shell's, if the shell's holds this run's files and
        nothing else; else False (a test changed it, or ended before it was installed, or
        the worker no longer runs). Done by the service worker itself: the Cache API is
        reached from the site's own scripts, and a page of the site costs a navigation."""
        workers = [w for w in self.context.service_workers if w.url == f"{self.origin}/sw.js"]
        if len(workers) != 1:
            return False
        try:
            return workers[0].evaluate(_KEEP_THE_SHELL_JS, {**self.shell, "lang": self.lang})
        except Exception:  # whatever went wrong, everything is wiped
            return False


@pytest.fixture(scope="session")
def shell_of_this_run(app) -> dict:
    """The service worker's cache of the app's own files: its name, what it holds, and which
    of it is the offline page."""
    with app.test_request_context():
        return {
            "cache": f"qadam-shell-{shell.version()}",
            "urls": shell.precache_urls(),
            "offline": url_for("pwa.offline"),
        }


@pytest.fixture(scope="session")
def _phones(browser, live_server) -> Iterator[dict[str, _Phone]]:
    phones: dict[str, _Phone] = {}
    yield phones
    for phone in phones.values():
        phone.context.close()


@pytest.fixture
def page(_phones, browser, live_server, shell_of_this_run, locale, request) -> Iterator[Page]:
    """A page on a phone in `locale` that holds nothing of Qadam (see _Phone). A test that
    needs a phone that never loaded Qadam, or two phones, or other options: new_context."""
    phone = _phones.get(locale)
    if phone is None:
        # One phone at a time: each kept open costs CPU while another is used (its blank
        # page: measured, 0.065 s a second with the phone's clock).
        # A module whose tests run in several languages groups them by language (the
        # parametrization's scope="module").
        for other in _phones.values():
            other.context.close()
        _phones.clear()
        options = PHONE | {"base_url": live_server, "locale": locale}
        phone = _phones[locale] = _Phone(browser, options, live_server, shell_of_this_run)
    yield phone.page()
    GATE.close()  # before the wipe, which lets go what a test's routes held
    failed = _failed(request)
    if failed:
        _screenshot(phone.context, request.node.nodeid, 0)
    try:
        phone.wipe(everything=failed)
    except Exception:  # a phone that cannot be wiped is not used again
        del _phones[locale]
        phone.context.close()
        raise
    if not failed:
        errors = phone.script_errors
        assert errors == [], f"uncaught errors in the page's scripts: {errors}"


def scripts_awaited(page: Page) -> Page:
    """page.goto() returns once the page's scripts have taken over its forms (static/js/app.js
    marks the page), as a person's first tap comes after the page has settled: a form sent
    before would go as a plain POST, without the outbox."""
    goto = page.goto

    def goto_and_settle(url: str, **options):
        response = goto(url, **options)
        expect(page.locator("html")).to_have_attribute("data-scripts-ready", "true")
        return response

    page.goto = goto_and_settle
    return page


def _screenshot(context: BrowserContext, nodeid: str, number: int) -> None:
    os.makedirs(ARTIFACTS, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", nodeid)
    for index, page in enumerate(context.pages):
        path = os.path.join(ARTIFACTS, f"{stem}-{number}-{index}.png")
        try:
            page.screenshot(path=path, full_page=True)
        except Exception as error:  # a missing screenshot must not hide the failure
            print(f"no screenshot for {nodeid}: {error}")


# A login hashes the password and its home page loads every script: on a busy machine that
# takes longer than a tap's usual 5 s.
LOGGING_IN_MS = 15_000
# Where each role lands after logging in: Today, the caseload, the district, administration.
HOME_PAGES = r"/(today|caseload|district|admin/)$"


@pytest.fixture
def log_in_with_the_form() -> Callable[[Page, object], None]:
    """Log `user` in through the form, as a person would (with the two-factor code if asked
    for one), and land on their home page: for tests where logging in is part of what is
    tested (a shared phone, a lapsed session, two-factor)."""

    def log_in(page: Page, user) -> None:
        page.goto("/login")
        page.fill("#email", user.email)
        page.fill("#password", PASSWORD)
        page.locator("main button[type=submit]").tap()
        page.wait_for_url(re.compile(rf"{HOME_PAGES}|/login/code$"), timeout=LOGGING_IN_MS)
        if page.url.endswith("/login/code"):  # the user has two-factor on
            page.fill("#code", two_factor_code(user))
            page.locator("main button[type=submit].primary").tap()
            page.wait_for_url(re.compile(HOME_PAGES), timeout=LOGGING_IN_MS)

    return log_in


@pytest.fixture
def log_in(app, live_server) -> Callable[..., None]:
    """Log `user` in without the login pages, for tests about other pages: the login's own
    code makes the session on the server (tests/conftest.py, logged_in_session), the phone
    gets its cookie and opens the page `to`, or else the login page, which sends them on to
    their home page. Where logging in is part of the test: log_in_with_the_form."""

    def log_in(page: Page, user, to: str | None = None) -> None:
        agent = page.evaluate("navigator.userAgent")
        token = logged_in_session(user, {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": agent})
        cookie = {"name": app.config["SESSION_COOKIE_NAME"], "value": token, "url": live_server}
        page.context.add_cookies([cookie])
        page.goto(to or "/login")
        if to is None:
            page.wait_for_url(re.compile(HOME_PAGES))

    return log_in
