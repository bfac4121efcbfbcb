"""What the phone does when the server says no, in a real Chromium (issue 10, points 4 and 7).

A whole batch refused (429, 413) is not a judgement on any entry: the entries wait and go
again, and a batch too large is split. A mark refused because the phone's clock was ahead can
be sent again, re-stamped with a corrected time; the original time is kept on the server.
"""

import json
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Route, expect
from sqlalchemy import select

from app.attendance.models import Status
from app.extensions import db
from app.sync.models import SyncOp
from tests.browser.offline import (
    badge,
    choose,
    expect_state,
    expect_waiting,
    go_online,
    history,
    marks,
    outbox,
    roll_call_url,
    save,
    take_roll_call_offline,
    text,
    wait_until,
)
from tests.factories import ChildFactory


@pytest.fixture
def children(school_class):
    return ChildFactory.create_batch(3, school_class=school_class)


def refuse(route: Route, status: int, headers: dict | None = None) -> None:
    body = json.dumps({"error": "refused", "message": "Not now"})
    route.fulfill(status=status, body=body, headers=headers or {}, content_type="application/json")


def applied_once(children, absent) -> None:
    """Every child's mark is on the server, written once (no second version, no history)."""
    stored = marks()
    assert set(stored) == {c.id for c in children}
    assert stored[absent.id].status is Status.ABSENT
    assert all(m.version == 1 and history(m) == [] for m in stored.values())


def test_a_batch_refused_with_429_waits_and_goes_again_after_retry_after(
    page, log_in, teacher, school_class, children
):
    take_roll_call_offline(page, log_in, teacher, school_class, absent=[children[0]])
    # From here the phone's clock moves only when the test moves it: on a busy machine the
    # test's own waits would otherwise pass the four seconds by themselves.
    page.clock.pause_at(page.evaluate("Date.now()") + 5_000)
    sent = []

    def busy_once(route: Route) -> None:
        sent.append(route.request.url)
        if len(sent) == 1:
            return refuse(route, 429, {"Retry-After": "4"})
        return route.continue_()

    page.route("**/api/sync", busy_once)
    go_online(page.context)
    expect(badge(page)).to_have_attribute("data-attention", "0")
    wait_until(page, lambda: sent)
    # The phone has read the answer once each entry counts the attempt; it sets its timer in
    # the same step.
    wait_until(page, lambda: [e["attempts"] for e in outbox(page)] == [1] * len(children))
    page.clock.fast_forward(3_000)  # the phone's timers: three of the four seconds pass
    page.wait_for_timeout(300)  # a send due now would have reached the route by then
    assert len(sent) == 1  # not before Retry-After
    page.clock.resume()  # the page's own timers run again
    page.clock.fast_forward(1_500)
    expect_state(page, "synced")  # sent again, with no one pressing anything

    assert len(sent) == 2
    applied_once(children, children[0])
    assert outbox(page) == []


def test_a_batch_too_large_is_split_until_each_part_gets_through(
    page, log_in, teacher, school_class, children
):
    take_roll_call_offline(page, log_in, teacher, school_class, absent=[children[1]])
    sizes = []

    def one_at_a_time(route: Route) -> None:
        sizes.append(len(route.request.post_data_json["ops"]))
        if sizes[-1] > 1:
            return refuse(route, 413)
        return route.continue_()

    page.route("**/api/sync", one_at_a_time)
    go_online(page.context)
    expect_state(page, "synced")

    assert sizes == [3, 2, 1, 1, 1]  # halved, in the order recorded
    applied_once(children, children[1])
    assert outbox(page) == []


def test_an_entry_too_large_by_itself_needs_attention_and_says_why(
    page, log_in, teacher, school_class, children
):
    take_roll_call_offline(page, log_in, teacher, school_class, absent=[children[2]])
    page.route("**/api/sync", lambda route: refuse(route, 413))
    go_online(page.context)
    expect_state(page, "needs_attention")
    expect_waiting(page, 0)
    expect(badge(page)).to_have_attribute("data-attention", "1")  # one roll call

    badge(page).tap()
    reasons = page.locator("[data-sync-attention-list] .attention-reason")
    expect(reasons).to_have_count(3)
    expect(reasons.first).to_have_text(
        text("This entry is too large for the server to accept. Discard it and record it again.")
    )
    assert marks() == {}


def test_a_mark_refused_for_a_clock_ahead_is_sent_again_restamped_after_retry(
    page, log_in, teacher, school_class, children
):
    log_in(page, teacher)
    page.context.clock.set_system_time(datetime.now(UTC) + timedelta(hours=3))  # ahead
    page.goto(roll_call_url(school_class))
    page.route("**/api/sync", lambda route: route.abort())  # kept on the phone, for now
    choose(page, children[0], "absent")
    save(page)
    expect_state(page, "saved")
    first_given = {e["op_id"]: e["recorded_at"] for e in outbox(page)}

    page.unroute("**/api/sync")
    badge(page).tap()
    page.locator("[data-sync-now]").tap()
    expect_state(page, "needs_attention")
    reasons = page.locator("[data-sync-attention-list] .attention-reason")
    expect(reasons).to_have_count(3)
    expect(reasons.first).to_have_text(
        text("This phone's clock is ahead of the real time. Correct it and retry.")
    )
    assert marks() == {}

    page.context.clock.set_system_time(datetime.now(UTC))  # the clock is put right
    # One Retry sends the roll call again: its marks were all refused for the clock.
    page.locator("[data-sync-attention-list] button[data-action=retry]").first.tap()
    expect_state(page, "synced")

    applied_once(children, children[0])
    db.session.expire_all()
    ops = db.session.scalars(select(SyncOp).where(SyncOp.user_id == teacher.id)).all()
    assert {str(op.op_id): op.restamped_from for op in ops} == {
        op_id: datetime.fromisoformat(at) for op_id, at in first_given.items()
    }
    assert all(m.recorded_at <= datetime.now(UTC) for m in marks().values())
    assert outbox(page) == []
