"""The installable app in Chromium: service worker, manifest, caches, and the outbox's edges."""

import re
import struct
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.attendance.models import Status
from app.extensions import db
from tests.browser.conftest import PHONE_NOW
from tests.browser.offline import (
    badge,
    choose,
    expect_state,
    expect_waiting,
    go_offline,
    go_online,
    marks,
    outbox,
    roll_call_url,
    save,
    state_line,
    text,
    wait_for_outbox,
    wait_until_offline_ready,
)
from tests.browser.test_mobile_layout import check_fits_the_phone
from tests.factories import ChildFactory, SchoolClassFactory

NOT_SAVED = (
    "Nothing was saved: this phone could not store the roll call (it may be out of space). "
    "Your marks are still in the form; free some space and save again."
)
# Makes the outbox's IndexedDB writes fail as a full disk would, while window.fullDisk is set.
FULL_DISK_JS = """
const add = IDBObjectStore.prototype.add;
IDBObjectStore.prototype.add = function (...args) {
  if (window.fullDisk) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  return add.apply(this, args);
};
"""


@pytest.fixture
def children(school_class):
    return ChildFactory.create_batch(4, school_class=school_class)


def cached_requests(page) -> list[list[str]]:
    """[method, url] of every request kept in any of the page's caches."""
    return page.evaluate(
        """async () => {
          const found = [];
          for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) {
              found.push([request.method, request.url]);
            }
          }
          return found;
        }"""
    )


def test_the_service_worker_is_served_from_the_root_and_never_cached(page, log_in, teacher):
    log_in(page, teacher)
    wait_until_offline_ready(page)
    scope = page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.scope)")
    script = page.evaluate("navigator.serviceWorker.controller.scriptURL")
    base = page.url.split("/today")[0]
    assert scope == base + "/"
    assert script == base + "/sw.js"
    response = page.request.get("/sw.js")
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/javascript")
    assert response.headers["cache-control"] == "no-cache"


def test_the_manifest_makes_the_app_installable(page):
    page.goto("/login")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    response = page.request.get(href)
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["name"] == "Qadam" and manifest["short_name"]
    assert manifest["start_url"] == "/today" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] and manifest["background_color"]
    sizes = {}
    for icon in manifest["icons"]:
        png = page.request.get(icon["src"]).body()
        assert png[:8] == b"\x89PNG\r\n\x1a\n", icon["src"]
        width, height = struct.unpack(">II", png[16:24])
        assert icon["sizes"] == f"{width}x{height}"
        sizes.setdefault(icon["purpose"], set()).add(width)
    assert {192, 512} <= sizes["any"] and 512 in sizes["maskable"]


def test_the_service_worker_never_caches_or_replays_a_post(
    page, log_in, teacher, school_class, children
):
    log_in(page, teacher)
    wait_until_offline_ready(page)
    page.goto(roll_call_url(school_class))
    choose(page, children[0], "late")
    save(page)
    expect_state(page, "synced")  # a POST to /api/sync went through the service worker's scope
    page.locator("footer button[value=ru]").tap()  # a form POST, as a navigation
    expect(page.locator("html")).to_have_attribute("lang", "ru")

    requests = cached_requests(page)
    assert requests and {method for method, _url in requests} == {"GET"}
    assert not [url for _m, url in requests if re.search(r"/api/|/language|/logout", url)]

    wait_until_offline_ready(page)  # the pages kept offline are saved again, in Russian
    go_offline(page.context)
    page.goto("/today")
    expect(page.locator("html")).to_have_attribute("lang", "ru")  # the saved copy, in Russian
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"), page.expect_navigation():
        page.locator("footer button[value=ar]").tap()
    go_online(page.context)
    page.goto("/today")
    expect(page.locator("html")).to_have_attribute("lang", "ru")  # the offline POST is gone
    db.session.expire_all()
    assert teacher.preferred_language == "ru"


def test_a_full_disk_keeps_the_form_filled_and_says_nothing_was_saved(
    page, log_in, teacher, school_class, children
):
    page.add_init_script(FULL_DISK_JS)
    log_in(page, teacher)
    wait_until_offline_ready(page)
    go_offline(page.context)
    page.goto(roll_call_url(school_class))  # from the phone: the test stays offline
    page.evaluate("window.fullDisk = true")
    choose(page, children[1], "absent")
    save(page)

    expect(page.locator("[data-outbox-error]")).to_have_text(text(NOT_SAVED))
    expect(state_line(page)).to_be_hidden()
    expect(page.locator(f"input[name='status-{children[1].id}'][value=absent]")).to_be_checked()
    assert outbox(page) == []

    page.evaluate("window.fullDisk = false")
    save(page)
    expect_state(page, "saved")
    expect(page.locator("[data-outbox-error]")).to_be_hidden()
    assert len(outbox(page)) == 4


def test_a_refused_entry_needs_attention_and_can_be_retried_or_discarded(
    page, log_in, teacher, school_class, children
):
    log_in(page, teacher)
    wait_until_offline_ready(page)
    go_offline(page.context)
    page.goto(roll_call_url(school_class))
    moved = children[0]
    choose(page, moved, "excused")
    save(page)
    expect_state(page, "saved")
    moved.school_class = SchoolClassFactory()  # meanwhile the child changed class
    db.session.commit()

    go_online(page.context)
    expect_state(page, "needs_attention")
    expect(state_line(page)).to_have_text(text("Needs attention"))
    expect(page.locator(f"li[data-child-id='{moved.id}']")).to_have_attribute(
        "data-outbox", "needs_attention"
    )
    expect_waiting(page, 0)
    expect(badge(page)).to_have_attribute("data-attention", "1")
    assert len(marks()) == 3  # the others reached the server

    badge(page).tap()
    item = page.locator("[data-sync-attention-list] li")
    expect(item).to_have_count(1)
    expect(item.locator(".attention-reason")).to_have_text(
        text("This child is not in any of your classes.")
    )
    expect(item).to_contain_text(moved.given_name)
    check_fits_the_phone(page, "kk")

    attempts = outbox(page)[0]["attempts"]
    item.locator("button[data-action=retry]").tap()  # sent again, refused again
    wait_for_outbox(
        page,
        f"entries[0].attempts === {attempts + 1} && entries[0].status === 'needs_attention'",
    )
    expect(item.locator(".attention-reason")).to_be_visible()

    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    item.locator("button[data-action=discard]").tap()
    expect(item).to_have_count(0)
    assert dialogs == [
        text("Discard this entry? It will never reach the server, and this cannot be undone.")
    ]
    assert outbox(page) == []
    expect(badge(page)).to_have_attribute("data-attention", "0")


def test_entries_left_sending_by_a_crash_wait_again_and_old_ones_are_warned_about(
    page, log_in, teacher, school_class, children
):
    log_in(page, teacher)
    wait_until_offline_ready(page)
    go_offline(page.context)
    page.goto(roll_call_url(school_class))
    choose(page, children[2], "absent")
    save(page)
    expect_state(page, "saved")
    old = (PHONE_NOW - timedelta(days=4)).isoformat()
    outbox(page, "set", {"status": "sending", "created_at": old})  # the tab died mid-send

    page.reload()
    expect(page.locator("[data-sync-old]")).to_be_visible()
    expect(page.locator("[data-sync-old]")).to_contain_text("3")
    expect(
        page.locator(f"li[data-child-id='{children[2].id}'] input[value=absent]")
    ).to_be_checked()
    wait_for_outbox(page, "entries.every((e) => e.status === 'waiting')")

    go_online(page.context)
    expect_state(page, "synced")
    expect(page.locator("[data-sync-old]")).to_be_hidden()
    assert marks()[children[2].id].status is Status.ABSENT


def test_after_login_the_phone_asks_to_keep_its_storage_and_says_what_it_got(page, log_in, teacher):
    log_in(page, teacher)
    note = page.locator("[data-sync-storage-note]")  # under the header, once after login
    expect(note).to_have_attribute("data-persisted", re.compile(r"^(true|false)$"))
    persisted = note.get_attribute("data-persisted") == "true"
    expected = text(
        "This phone keeps what you record until it is synced."
        if persisted
        else "This browser may delete what is saved on this phone when space runs low: sync often."
    )
    expect(note.locator("[data-sync-storage-text]")).to_have_text(expected)
    check_fits_the_phone(page, "kk")
    before = page.locator("main").bounding_box()
    page.evaluate("document.querySelector('[data-sync-storage-note]').hidden = true")
    assert page.locator("main").bounding_box() == before  # it moved nothing on the page
    page.evaluate("document.querySelector('[data-sync-storage-note]').hidden = false")
    note.locator("button").tap()
    expect(note).to_be_hidden()

    page.goto("/today")  # not just after login any more: only in the sync panel
    expect(note).to_be_hidden()
    badge(page).tap()
    expect(page.locator("[data-sync-storage]")).to_have_text(expected)
    expect(page.locator("[data-sync-offline-ready]")).to_be_visible()
    check_fits_the_phone(page, "kk")


def test_offline_a_page_not_saved_on_the_phone_shows_the_offline_page(
    page, log_in, teacher, school_class, children
):
    log_in(page, teacher)
    wait_until_offline_ready(page)
    go_offline(page.context)

    page.goto(roll_call_url(school_class))  # saved as the class's roll call: found by its day
    expect(page.locator("#roll-call")).to_have_attribute("data-day", "2026-11-18")
    page.goto(f"/children/{children[0].id}")
    expect(page.locator("h1")).to_contain_text(children[0].given_name)

    page.goto(roll_call_url(school_class, day=date(2026, 11, 10)))  # never opened: not saved
    expect(page.locator("h1")).to_have_text(text("Offline"))
    expect(page.locator("#roll-call")).to_have_count(0)
    expect(page.locator("#logout-form")).to_have_count(0)  # the offline page is nobody's
