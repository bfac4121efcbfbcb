"""Working without a connection, in a real Chromium at 360×640 (issue 3, point 8).

The phone keeps what the teacher records in its outbox (IndexedDB) and sends it when our
server answers again; Playwright's set_offline() takes the network away, page.route() makes
the server fail. Every test checks what reached the database, not only what the page says.
"""

import json
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.attendance.models import Status
from app.core import clock
from app.extensions import db
from tests.browser.conftest import PHONE_NOW
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
    state_line,
    sync_bodies,
    take_roll_call_offline,
    text,
    wait_for_outbox,
    wait_until,
    wait_until_offline_ready,
)
from tests.conftest import TODAY
from tests.factories import ChildFactory, UserFactory


@pytest.fixture
def children(school_class):
    return ChildFactory.create_batch(4, school_class=school_class)


# The seven school days a teacher may still correct on the frozen "today" (no terms set up).
EDITABLE_DAYS = ["2026-11-18", "2026-11-17", "2026-11-16", "2026-11-13"]
EDITABLE_DAYS += ["2026-11-12", "2026-11-11", "2026-11-10"]


def new_mark(school_class, child, day: str, n: int) -> dict:
    """An outbox draft for a mark the server has not seen."""
    return {
        "kind": "attendance_mark",
        "record_id": f"00000000-0000-4000-8000-{n:012d}",
        "base_version": 0,
        "payload": {
            "child_id": str(child.id),
            "class_id": str(school_class.id),
            "day": day,
            "status": "absent" if n % 3 == 0 else "present",
            "reason": None,
        },
    }


def test_a_roll_call_taken_offline_reaches_the_server_when_the_connection_returns(
    page, log_in, teacher, school_class, children
):
    log_in(page, teacher)
    wait_until_offline_ready(page)
    go_offline(page.context)
    page.reload()  # from the phone, not the server
    expect(page.locator("h1")).to_be_visible()
    page.locator("a.card").first.tap()
    absent = children[1:3]
    for child in absent:
        choose(page, child, "absent")
    save(page)

    expect(state_line(page)).to_have_text(text("Saved on this phone."))
    expect_waiting(page, 1)  # one roll call: the absent two and the present two never marked
    assert marks() == {}
    assert {entry["status"] for entry in outbox(page)} == {"waiting"}

    go_online(page.context)
    expect_state(page, "synced")
    expect_waiting(page, 0)
    stored = marks()
    assert len(stored) == 4
    assert {cid for cid, mark in stored.items() if mark.status is Status.ABSENT} == {
        c.id for c in absent
    }
    assert {mark.recorded_by_id for mark in stored.values()} == {teacher.id}
    assert outbox(page) == []  # confirmed by the server, so removed from the phone
    # The roll call on screen was refreshed from the server: it knows the marks' ids now.
    expect(page.locator("li[data-mark-id]")).to_have_count(4)


def test_an_op_sent_twice_leaves_one_mark(page, log_in, teacher, school_class, children):
    """The server applies the batch, but its answer is lost: the phone sends it again."""
    take_roll_call_offline(page, log_in, teacher, school_class, absent=[children[0]])
    bodies = sync_bodies()
    answers_lost = []

    def lose_the_first_answer(route):
        if answers_lost:
            return route.continue_()
        route.fetch()  # reaches the server, which applies it
        answers_lost.append(True)
        route.abort("connectionreset")

    page.route("**/api/sync", lose_the_first_answer)
    go_online(page.context)
    expect_state(page, "synced")  # after the back-off timer sent it again

    assert len(bodies) == 2 and bodies[0] == bodies[1]  # the very same ops, op ids included
    stored = marks()
    assert len(stored) == 4
    assert stored[children[0].id].status is Status.ABSENT
    assert all(mark.version == 1 and history(mark) == [] for mark in stored.values())

    # And once more, by hand: the server answers "duplicate" and changes nothing.
    token = page.evaluate("JSON.parse(document.getElementById('qadam-config').textContent)")
    origin = page.evaluate("location.origin")  # what the phone's own fetch sends
    again = page.request.post(
        "/api/sync",
        data=bodies[0],
        headers={"X-CSRFToken": token["csrf_token"], "Origin": origin},
    )
    assert {r["result"] for r in again.json()["results"]} == {"duplicate"}
    assert {(m.id, m.version) for m in marks().values()} == {
        (m.id, m.version) for m in stored.values()
    }


def test_a_server_failing_in_the_middle_of_a_sync_loses_nothing(
    page, log_in, teacher, school_class
):
    """250 entries go in two batches; the second meets a 503 and is sent again later."""
    children = ChildFactory.create_batch(36, school_class=school_class)
    log_in(page, teacher)
    wait_until_offline_ready(page)
    go_offline(page.context)
    page.goto(roll_call_url(school_class))
    pairs = [(child, day) for day in EDITABLE_DAYS for child in children][:250]
    drafts = [new_mark(school_class, child, day, n) for n, (child, day) in enumerate(pairs)]
    outbox(page, "add", drafts)
    last_fifty = {draft["record_id"] for draft in drafts[200:]}
    batches, failed, released = [], [], []

    def fail_the_second_batch(route):
        """503 for the last fifty, until the test has looked at the phone."""
        records = {op["record_id"] for op in route.request.post_data_json["ops"]}
        batches.append(records)
        if records & last_fifty and not released:
            failed.append(records)
            return route.fulfill(status=503, body="Service Unavailable")
        return route.continue_()

    page.route("**/api/sync", fail_the_second_batch)
    go_online(page.context)
    wait_until(page, lambda: failed)
    assert len(batches[0]) == 200 and not batches[0] & last_fifty  # in the order recorded
    # What the server did not take is still on the phone, waiting for the next try.
    ids = json.dumps(sorted(last_fifty))
    wait_for_outbox(
        page,
        f"{ids}.every((id) => entries.some((e) => e.record_id === id"
        " && e.status === 'waiting' && e.attempts >= 1))",
        timeout=60,
    )
    assert len(marks(day=None)) <= 200
    # (Applying 200 ops takes seconds on a busy machine; a batch the phone stops waiting for
    # is sent again, and the server applies it once.)
    released.append(True)
    page.clock.fast_forward(60_000)  # the back-off's delays pass on the phone's clock
    expect_waiting(page, 0, timeout=60_000)  # the back-off timer sent them again
    after_the_failures = batches[batches.index(failed[-1]) + 1 :]
    assert last_fifty <= set().union(*after_the_failures)  # sent again, by the phone alone
    stored = marks(day=None)
    assert len(stored) == 250 and all(mark.version == 1 for mark in stored)
    assert outbox(page) == []


def test_a_session_that_expired_offline_leads_to_a_login_then_the_sync(
    page, log_in, teacher, school_class, children
):
    take_roll_call_offline(page, log_in, teacher, school_class, absent=[children[3]])
    page.context.clear_cookies()  # the session ends while the phone is offline
    go_online(page.context)

    login = page.locator("[data-sync-login]")
    expect(login).to_be_visible()
    expect(login).to_contain_text(
        text("Please log in again; what you recorded is kept on this phone.")
    )
    expect_waiting(page, 1)  # one roll call
    assert marks() == {}
    # A pass that met the lapsed session puts its entries back to waiting once it ends.
    wait_for_outbox(page, 'entries.every((e) => e.status === "waiting")')

    login.locator("a").tap()
    page.fill("#email", teacher.email)
    page.fill("#password", "correct horse battery staple")
    page.locator("main button[type=submit]").tap()
    page.wait_for_url(re.compile(rf"/classes/{school_class.id}/roll-call"))
    expect_state(page, "synced")
    stored = marks()
    assert len(stored) == 4 and stored[children[3].id].status is Status.ABSENT
    expect(page.locator("[data-sync-login]")).to_be_hidden()


def test_two_phones_change_the_same_mark_offline_and_the_later_one_wins(
    new_context, log_in, teacher, school_class, children
):
    colleague = UserFactory()
    school_class.teachers.append(colleague)
    db.session.commit()
    first, second = new_context().new_page(), new_context().new_page()
    for page, user in ((first, teacher), (second, colleague)):
        log_in(page, user)
        wait_until_offline_ready(page)
        go_offline(page.context)
        page.goto(roll_call_url(school_class))
    child = children[0]
    choose(first, child, "absent")
    save(first)
    expect_state(first, "saved")
    # Each phone has its own clock: the second one's reads ten minutes later.
    second.context.clock.set_system_time(PHONE_NOW + timedelta(minutes=10))
    choose(second, child, "late")  # recorded later, on the other phone
    save(second)
    expect_state(second, "saved")

    go_online(second.context)  # the later one reaches the server first
    expect_state(second, "synced")
    go_online(first.context)
    expect_state(first, "synced")  # the server confirmed it: nothing left for the teacher

    mark = marks()[child.id]
    assert mark.status is Status.LATE and mark.recorded_by_id == colleague.id
    earlier = [(h.status, h.recorded_by_id) for h in history(mark)]
    assert (Status.ABSENT, teacher.id) in earlier
    assert outbox(first) == [] and outbox(second) == []


def test_on_a_shared_phone_each_user_sees_and_sends_only_their_own_entries(
    page, log_in_with_the_form, teacher, school_class, children
):
    colleague = UserFactory()
    school_class.teachers.append(colleague)
    db.session.commit()
    take_roll_call_offline(page, log_in_with_the_form, teacher, school_class, absent=[children[2]])
    page.context.clear_cookies()  # the teacher's session ends; a colleague takes the phone
    go_online(page.context)
    expect(page.locator("[data-sync-login]")).to_be_visible()  # refused: nobody logged in
    # Batches the server took under a session. (A try of the teacher's batch with no session
    # at all is answered 401 and changes nothing; one still on its way when the colleague
    # logged in failed a CI run while it was counted too.)
    bodies = sync_bodies(signed_in=True)

    log_in_with_the_form(page, colleague)
    expect(badge(page)).to_be_visible()
    expect_waiting(page, 0)
    page.goto(roll_call_url(school_class))
    expect(page.locator("li[data-outbox]")).to_have_count(0)  # the teacher's marks stay hidden
    expect(state_line(page)).to_be_hidden()
    page.locator("#sync-badge").tap()
    page.locator("[data-sync-now]").tap()
    expect(page.locator("[data-sync-last]")).to_have_text(re.compile(r".+"))
    assert bodies == []  # nothing of the teacher's was sent under the colleague's session
    assert marks() == {}
    assert len(outbox(page)) == 4  # still on the phone, waiting for their owner

    page.locator("#logout-form button").tap()  # the colleague has nothing waiting: allowed
    page.wait_for_url(re.compile(r"/login"))
    log_in_with_the_form(page, teacher)
    expect_waiting(page, 0)
    stored = marks()
    assert len(stored) == 4 and {m.recorded_by_id for m in stored.values()} == {teacher.id}
    assert stored[children[2].id].status is Status.ABSENT


def test_logout_is_refused_while_entries_are_waiting(page, log_in, teacher, school_class, children):
    take_roll_call_offline(page, log_in, teacher, school_class, absent=[children[0]])
    page.locator("#logout-form button").tap()

    refused = page.locator("[data-sync-logout-refused]")
    expect(refused).to_be_visible()
    expect(refused).to_have_text(
        text(
            "You cannot log out yet: some of what you recorded on this phone has not reached "
            "the server. Sync first, and deal with any entries that need attention, so that "
            "nothing is lost."
        )
    )
    assert re.search(r"/roll-call", page.url)
    expect(page.locator("#sync-panel")).to_be_visible()
    assert len(outbox(page)) == 4

    go_online(page.context)
    expect_waiting(page, 0)
    page.locator("#logout-form button").tap()
    page.wait_for_url(re.compile(r"/login"))
    cached = page.evaluate("caches.keys()")
    assert not [name for name in cached if "pages" in name]  # personal pages are gone


def test_todays_roll_call_kept_on_the_phone_follows_the_date_offline(
    page, log_in, teacher, school_class, children, monkeypatch
):
    """Saved on Wednesday, opened offline on Thursday: it is Thursday's roll call, blank."""
    log_in(page, teacher)
    wait_until_offline_ready(page)
    go_offline(page.context)
    thursday = TODAY + timedelta(days=1)
    page.context.clock.set_system_time(PHONE_NOW + timedelta(days=1))
    page.goto("/today")  # the copy kept on the phone on Wednesday
    expect(page.locator("[data-follows-today]")).to_have_attribute(
        "data-follows-today", thursday.isoformat()
    )
    page.locator("a.card").first.tap()
    form = page.locator("form#roll-call")
    expect(form).to_have_attribute("data-day", thursday.isoformat())
    expect(form.locator("input[name=day]")).to_have_value(thursday.isoformat())
    choose(page, children[0], "absent")
    save(page)
    expect_state(page, "saved")

    monkeypatch.setattr(clock, "today", lambda: thursday)  # the server's day has come too
    go_online(page.context)
    expect_state(page, "synced")
    assert marks() == {}  # nothing was written on Wednesday's roll call
    stored = marks(thursday)
    assert len(stored) == len(children)
    assert stored[children[0].id].status is Status.ABSENT


def test_a_roll_call_waiting_on_the_phone_shows_on_today_and_counts_once(
    page, log_in, teacher, school_class, children
):
    take_roll_call_offline(page, log_in, teacher, school_class, absent=[children[1]])
    page.goto("/today")  # the copy kept on the phone: the server has no roll call yet

    card = page.locator("a.card").filter(has_text=school_class.name)
    expect(card.locator("[data-outbox-state]")).to_have_text(
        text("Saved on this phone, waiting to be sent")
    )
    expect(card.locator("[data-day-state]")).to_be_hidden()  # not "Not taken yet"
    expect_waiting(page, 1)  # one roll call of four marks
    expect(badge(page).locator("[data-sync-count]")).to_have_text("1")
    badge(page).tap()
    expect(page.locator("[data-sync-waiting]")).to_have_text("1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # fits the phone

    go_online(page.context)
    expect(card.locator("[data-outbox-state]")).to_have_attribute("data-state", "synced")
    expect_waiting(page, 0)
    assert len(marks()) == 4
