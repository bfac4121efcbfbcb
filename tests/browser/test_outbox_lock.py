"""A phone shared by two people, in a real Chromium (issue 10, point 5).

What a teacher records offline waits in IndexedDB locked with the teacher's own key (from the
page's config, only on the teacher's pages): a colleague who logs in next on the same phone
reads nothing of it, and sees only that entries of another person wait there.
"""

import json

import pytest
from playwright.sync_api import expect

from app.attendance.models import Status
from app.extensions import db
from tests.browser.offline import (
    badge,
    choose,
    expect_state,
    expect_waiting,
    go_offline,
    go_online,
    history,
    marks,
    outbox,
    roll_call_url,
    save,
    sync_bodies,
    text,
    wait_until_offline_ready,
)
from tests.factories import ChildFactory, UserFactory

REASON = "Gulnara-took-him-to-the-clinic-in-Taraz"

# What every cache of the phone holds, as one text: the pages kept for use offline included.
CACHED_TEXT_JS = """
async () => {
  const texts = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) texts.push(await (await cache.match(request)).text());
  }
  return texts.join("\\n");
}
"""

# This page's own list of another user's entries: what its key can open of them.
OTHERS_ENTRIES_JS = """
async (userId) => {
  const { Outbox } = await import("/static/js/outbox.js");
  return (await Outbox.open()).list(userId);
}
"""


@pytest.fixture
def children(school_class):
    return ChildFactory.create_batch(3, school_class=school_class)


def config(page) -> dict:
    """What the page's scripts read: its own block over the shared part (text.js)."""
    return page.evaluate("async () => (await import('/static/js/text.js')).readConfig()")


def test_a_colleague_on_the_same_phone_cannot_read_a_roll_call_waiting_there(
    page, log_in_with_the_form, teacher, school_class, children
):
    colleague = UserFactory()
    school_class.teachers.append(colleague)
    db.session.commit()
    log_in_with_the_form(page, teacher)
    wait_until_offline_ready(page)
    go_offline(page.context)
    page.goto(roll_call_url(school_class))
    absent = children[0]
    choose(page, absent, "absent")
    page.fill(f"#reason-{absent.id}", REASON)
    save(page)
    expect_state(page, "saved")

    stored = json.dumps(outbox(page), ensure_ascii=False)  # raw, as IndexedDB keeps it
    for secret in [REASON, '"absent"', *(child.full_name for child in children)]:
        assert secret not in stored
    opened = outbox(page, "mine")  # the teacher's own page opens them
    assert {e["payload"]["child_id"] for e in opened} == {str(c.id) for c in children}
    assert {e["payload"]["reason"] for e in opened} == {REASON, None}
    teachers_key = config(page)["outbox"]["user_key"]
    assert teachers_key in page.evaluate(CACHED_TEXT_JS)  # kept with the teacher's pages

    page.context.clear_cookies()  # the teacher's session ends; a colleague takes the phone
    go_online(page.context)
    expect(page.locator("[data-sync-login]")).to_be_visible()  # refused: nobody logged in
    bodies = sync_bodies()
    log_in_with_the_form(page, colleague)
    wait_until_offline_ready(page)
    assert config(page)["outbox"]["user_key"] not in (None, teachers_key)
    assert teachers_key not in page.evaluate(CACHED_TEXT_JS)  # the teacher's pages are gone
    theirs = page.evaluate(OTHERS_ENTRIES_JS, str(teacher.id))
    assert len(theirs) == 3
    assert all(e["unreadable"] and e["payload"] is None and e["summary"] is None for e in theirs)
    expect_waiting(page, 0)
    badge(page).tap()
    others = page.locator("[data-sync-others]")
    expect(others).to_be_visible()
    expect(others).to_have_text(
        text(
            "Entries recorded by another person are waiting on this phone. "
            "They are sent when that person logs in."
        )
    )
    expect(page.locator("#sync-panel")).not_to_contain_text(children[0].full_name)
    assert bodies == [] and marks() == {}  # nothing of the teacher's under this session

    page.locator("#logout-form button").tap()
    page.wait_for_url("**/login")
    log_in_with_the_form(page, teacher)
    expect_waiting(page, 0)
    stored_marks = marks()
    assert len(stored_marks) == 3 and stored_marks[absent.id].status is Status.ABSENT
    assert stored_marks[absent.id].reason == REASON
    assert all(m.version == 1 and history(m) == [] for m in stored_marks.values())  # once
    sent = [op["op_id"] for body in bodies for op in body["ops"]]
    assert len(sent) == len(set(sent)) == 3
    assert outbox(page) == []


def test_a_browser_that_cannot_encrypt_keeps_no_roll_call_but_saves_it_online(
    page, log_in, teacher, school_class, children
):
    log_in(page, teacher)
    wait_until_offline_ready(page)
    go_offline(page.context)
    page.add_init_script("Object.defineProperty(window, 'isSecureContext', { value: false })")
    page.goto(roll_call_url(school_class))
    choose(page, children[1], "absent")
    save(page)

    error = page.locator("#roll-call [data-outbox-error]")
    expect(error).to_be_visible()
    expect(error).to_have_text(
        text(
            "This browser cannot encrypt entries, so this one was not saved on the phone. "
            "Open Qadam through its https address, or save it while online."
        )
    )
    assert outbox(page) == []

    go_online(page.context)
    page.goto(roll_call_url(school_class))
    choose(page, children[1], "absent")
    save(page)  # straight to the server, as without the page's scripts
    expect(page.locator(".flash")).to_contain_text(text("Roll call saved."))
    assert marks()[children[1].id].status is Status.ABSENT
    assert outbox(page) == []
