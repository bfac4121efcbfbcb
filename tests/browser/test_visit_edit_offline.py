"""A visit report edited on a phone without signal while the server changes it too (issue 10,
points 2 and 8), in a real Chromium at 360×640.

The phone sends only the fields the person changed: a server change of another field is kept,
with no conflict. A change of the same field is a conflict: the phone says so, on the form and
in the sync panel, with a link to the page where the person decides.
"""

import json
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, insert, select

from app.casework.models import VisitReport
from app.children.models import caseload
from app.extensions import db
from app.sync.models import SyncConflict
from app.sync.sealed import plain_payload
from tests.browser.offline import (
    badge,
    go_offline,
    go_online,
    sent_batches,
    text,
    wait_for_outbox,
)
from tests.casework_factories import PlacementFactory, VisitReportFactory
from tests.factories import ChildFactory

CONFLICT_ON_FORM = (
    "Sent, but someone else changed the same fields meanwhile: your decision is needed."
)


@pytest.fixture
def report(worker):
    child = ChildFactory()
    db.session.execute(insert(caseload).values(user_id=worker.id, child_id=child.id))
    db.session.commit()
    placement = PlacementFactory(child_obj=child, worker=worker, starts_on=date(2026, 6, 1))
    return VisitReportFactory(placement=placement, worker=worker)


def change_on_the_server(report_id, **values) -> None:
    """A colleague's save, meanwhile: the report moves on to a new version."""
    db.session.expire_all()
    report = db.session.get(VisitReport, report_id)
    for name, value in values.items():
        setattr(report, name, value)
    db.session.commit()


def stored(report_id) -> VisitReport:
    db.session.expire_all()
    return db.session.get(VisitReport, report_id)


def stored_once_changed(page, report_id, version: int, seconds: float = 5) -> VisitReport:
    """The report, once the live server's write is visible to the test's connection."""
    for _attempt in range(int(seconds * 10)):
        report = stored(report_id)
        if report.version > version:
            return report
        page.wait_for_timeout(100)
    return stored(report_id)


def conflicts() -> int:
    return db.session.scalar(select(func.count()).select_from(SyncConflict))


def edit_offline(page, report, field: str, value: str) -> None:
    page.goto(f"/visits/{report.id}/edit")
    form = page.locator("#visit-report")
    expect(form).to_be_visible()
    go_offline(page.context)
    form.locator(f"textarea[name={field}]").fill(value)
    form.locator("button[type=submit]").tap()
    expect(form.locator("[data-sync-state]")).to_have_attribute("data-state", "saved")


def sent_fields(bodies) -> list[set]:
    """What the server opened of each visit report op (they travel sealed)."""
    ops = [op for body in bodies for op in body["ops"] if op["kind"] == "visit_report"]
    return [set(plain_payload(op)["fields"]) for op in ops]


def test_an_offline_edit_of_one_field_merges_with_a_server_edit_of_another(
    page, log_in, worker, report
):
    log_in(page, worker)
    edit_offline(page, report, "health_note", "Жөтел, дәрігер қарады")
    change_on_the_server(report.id, present="Әжесі, бала, тәтесі")
    version = stored(report.id).version

    bodies = sent_batches(page)
    go_online(page.context)
    wait_for_outbox(page, "entries.length === 0")
    assert sent_fields(bodies) == [{"health_note"}]  # only what the person changed
    saved = stored_once_changed(page, report.id, version)
    assert (saved.present, saved.health_note) == ("Әжесі, бала, тәтесі", "Жөтел, дәрігер қарады")
    assert conflicts() == 0
    expect(page.locator("#visit-report [data-sync-state]")).to_have_attribute(
        "data-state", "synced"
    )


def test_a_conflict_after_the_sync_is_shown_with_a_link_to_the_decision(
    page, log_in, worker, report
):
    log_in(page, worker)
    edit_offline(page, report, "present", "Анасы, бала")
    change_on_the_server(report.id, present="Әкесі, бала")

    go_online(page.context)
    state = page.locator("#visit-report [data-sync-state]")
    expect(state).to_have_attribute("data-state", "conflict", timeout=15_000)
    expect(state).to_contain_text(text(CONFLICT_ON_FORM))
    assert conflicts() == 1

    # In the sync panel too, not counted as waiting: nothing is left to send.
    expect(badge(page)).to_have_attribute("data-waiting", "0")
    badge(page).tap()
    listed = page.locator("[data-sync-decisions-list] li")
    expect(listed).to_have_count(1)
    expect(listed.locator("a")).to_have_attribute("href", f"/visits/{report.id}/conflicts")

    state.locator("a").tap()
    page.wait_for_url(f"**/visits/{report.id}/conflicts")
    expect(page.locator("main")).to_contain_text("Әкесі, бала")
    badge(page).tap()
    expect(page.locator("[data-sync-decisions]")).to_be_hidden()  # opened: no longer listed


def test_a_decision_listed_in_the_panel_can_be_dismissed(page, log_in, worker, report):
    log_in(page, worker)
    edit_offline(page, report, "present", "Анасы, бала")
    change_on_the_server(report.id, present="Әкесі, бала")
    go_online(page.context)
    expect(page.locator("#visit-report [data-sync-state]")).to_have_attribute(
        "data-state", "conflict", timeout=15_000
    )

    page.goto("/caseload")  # the form's page is gone; the panel still lists the decision
    badge(page).tap()
    listed = page.locator("[data-sync-decisions-list] li")
    expect(listed).to_have_count(1)
    listed.locator("button[data-action=dismiss]").tap()
    expect(page.locator("[data-sync-decisions]")).to_be_hidden()
    page.reload()
    badge(page).tap()
    expect(page.locator("[data-sync-decisions]")).to_be_hidden()


def test_a_second_save_carries_every_field_changed_since_the_form_was_loaded(
    page, log_in, worker, report
):
    log_in(page, worker)
    edit_offline(page, report, "health_note", "Жөтел")
    form = page.locator("#visit-report")
    form.locator("textarea[name=needs_note]").fill("Қысқы киім")
    form.locator("button[type=submit]").tap()
    wait_for_outbox(page, "entries.length === 2")  # both saves kept, offline
    bodies = sent_batches(page)
    go_online(page.context)
    wait_for_outbox(page, "entries.length === 0")
    assert sent_fields(bodies) == [{"health_note"}, {"health_note", "needs_note"}]


def test_an_op_answered_superseded_leaves_the_outbox(page, log_in, worker, report):
    """A later op of the same record from this phone was applied first: nothing to resend."""
    log_in(page, worker)
    edit_offline(page, report, "health_note", "Жөтел")

    def superseded(route):
        [op] = json.loads(route.request.post_data)["ops"]
        answer = {"op_id": op["op_id"], "status": 200, "result": "superseded"}
        route.fulfill(json={"server_time": "2026-11-18T03:30:00+00:00", "results": [answer]})

    page.route("**/api/sync", superseded)
    go_online(page.context)
    wait_for_outbox(page, "entries.length === 0")
    expect(badge(page)).to_have_attribute("data-waiting", "0")
