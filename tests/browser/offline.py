"""Helpers for the offline tests: the phone's outbox, its network, and what reached the server."""

import json
import re
import time

from flask_babel import force_locale, gettext
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from app.attendance.models import AttendanceMark, AttendanceMarkHistory
from app.extensions import db
from tests.browser.gate import GATE
from tests.conftest import TODAY

LANG = "kk"  # the phones' language (see the `locale` fixture): the strings they show

# Reads or edits the phone's outbox through the app's own module.
OUTBOX_JS = """
async ([action, arg]) => {
  const { Outbox } = await import("/static/js/outbox.js");
  const config = JSON.parse(document.getElementById("qadam-config").textContent);
  const outbox = await Outbox.open();
  const all = () => new Promise((resolve, reject) => {
    const request = outbox.db.transaction("entries").objectStore("entries").getAll();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  if (action === "all") return all();
  if (action === "mine") return outbox.list(config.user_id);
  if (action === "add") return outbox.add(config.user_id, arg);
  if (action === "set") {
    const changes = {};
    for (const entry of await all()) {
      changes[entry.op_id] = (e) => { Object.assign(e, arg); };
    }
    return outbox.update(changes);
  }
  throw new Error("unknown action " + action);
}
"""


def wait_for_outbox(page: Page, condition: str, timeout: float = 10) -> None:
    """Wait until `condition`, a JS expression over `entries` (this user's), holds.

    Polled from here: page.wait_for_function does not wait for an async predicate (its
    promise counts as true at once). The expression is part of the function Playwright sends,
    not evaluated from a string in the page: the app's Content-Security-Policy forbids that.
    """
    check = (
        """async () => {
          const { Outbox } = await import("/static/js/outbox.js");
          const config = JSON.parse(document.getElementById("qadam-config").textContent);
          const entries = await (await Outbox.open()).list(config.user_id);
          return ("""
        + condition
        + """);
        }"""
    )
    deadline = time.monotonic() + timeout
    while not page.evaluate(check):
        if time.monotonic() > deadline:
            raise AssertionError(f"the outbox never came to hold: {condition}")
        page.wait_for_timeout(100)


def wait_until(page: Page, condition, timeout: float = 30) -> None:
    """Wait until `condition()` (a check on the test's side, such as what a route handler
    has seen) holds. Route handlers run only while Playwright waits, hence the short waits."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition never came to hold")
        page.wait_for_timeout(50)


def text(message: str, **values) -> str:
    """A string as the phone shows it (the catalog's, else the English source)."""
    with force_locale(LANG):
        return gettext(message, **values)


def outbox(page: Page, action: str = "all", arg=None):
    return page.evaluate(OUTBOX_JS, [action, arg])


def roll_call_url(school_class, day=TODAY) -> str:
    return f"/classes/{school_class.id}/roll-call?day={day.isoformat()}"


def wait_until_offline_ready(page: Page) -> None:
    """The pages are saved on the phone and the service worker serves this page."""
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "true", timeout=15_000)


def go_offline(context: BrowserContext) -> None:
    """Take the network away once each open page's scripts have taken over its forms (they
    load while the page shows; a form sent before that would go as a plain POST)."""
    for page in context.pages:
        if page.url.startswith("http"):
            expect(page.locator("html")).to_have_attribute("data-scripts-ready", "true")
    context.set_offline(True)


def go_online(context: BrowserContext) -> None:
    context.set_offline(False)


def choose(page: Page, child, status: str) -> None:
    item = page.locator(f"li[data-child-id='{child.id}']")
    item.locator(f"label.status-{status}").tap()
    expect(item.locator(f"input[value={status}]")).to_be_checked()


def save(page: Page) -> None:
    page.locator("#roll-call button[type=submit]").tap()


def state_line(page: Page):
    return page.locator("#roll-call [data-sync-state]")


def expect_state(page: Page, state: str, timeout: int = 10_000) -> None:
    expect(state_line(page)).to_have_attribute("data-state", state, timeout=timeout)


def take_roll_call_offline(page: Page, log_in, teacher, school_class, absent) -> None:
    """Log in online, lose the network, reopen the roll call from the phone, and save it."""
    log_in(page, teacher)
    wait_until_offline_ready(page)
    go_offline(page.context)
    page.goto(roll_call_url(school_class))
    expect(page.locator("#roll-call")).to_be_visible()
    for child in absent:
        choose(page, child, "absent")
    save(page)
    expect_state(page, "saved")


def badge(page: Page):
    return page.locator("#sync-badge")


def expect_waiting(page: Page, count: int, timeout: int = 10_000) -> None:
    expect(badge(page)).to_have_attribute("data-waiting", str(count), timeout=timeout)


def sync_bodies(signed_in: bool = False) -> list[dict]:
    """Collect the body of every batch the server is sent on /api/sync from now on, as it
    answers it, so before the phone can show the answer; with `signed_in`, only those it
    answered as a signed-in person's (not 401)."""
    bodies: list[dict] = []

    def record(path: str, body: bytes, status: int) -> None:
        if path == "/api/sync" and not (signed_in and status == 401):
            bodies.append(json.loads(body))

    GATE.listeners.append(record)
    return bodies


def marks(day=TODAY) -> dict | list:
    """The marks of `day` by child; every mark, as a list, for day=None."""
    db.session.expire_all()
    query = select(AttendanceMark)
    if day is None:
        return db.session.scalars(query).all()
    rows = db.session.scalars(query.where(AttendanceMark.day == day)).all()
    return {mark.child_id: mark for mark in rows}


def history(mark) -> list[AttendanceMarkHistory]:
    db.session.expire_all()
    return db.session.scalars(
        select(AttendanceMarkHistory).where(AttendanceMarkHistory.mark_id == mark.id)
    ).all()


def url_pattern(path: str) -> re.Pattern:
    return re.compile(re.escape(path) + r"(\?.*)?$")


def sent_batches(page: Page) -> list[dict]:
    """Like sync_bodies, but each body is recorded before its request leaves the page: a
    request event may reach the test only after the answer has changed the outbox."""
    bodies: list[dict] = []

    def record(route) -> None:
        if route.request.method == "POST":
            bodies.append(json.loads(route.request.post_data))
        route.continue_()

    page.route("**/api/sync", record)
    return bodies
