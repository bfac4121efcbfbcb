"""A social worker's day without signal (issue 6, point 9), in a real Chromium at 360×640.

Offline, they record a home visit and an incident; both wait on the phone encrypted for the
server; back online, both reach the server exactly once and appear on the child's timeline.
"""

import json

from playwright.sync_api import expect
from sqlalchemy import select

from app.casework.models import VisitReport
from app.extensions import db
from app.incidents.models import Incident
from tests.browser.offline import (
    go_offline,
    go_online,
    sync_bodies,
    text,
    wait_for_outbox,
    wait_until_offline_ready,
)
from tests.browser.test_sealed_outbox import RAW_DATABASE_JS

VISIT_NOTE = "Әжесімен сөйлестік, үйі жылы"
INCIDENT_NOTE = "Көршілермен сөйлестім"


def stored(model) -> list:
    db.session.expire_all()
    return db.session.scalars(select(model)).all()


def wait_for_rows(page, model, seconds: float = 5) -> list:
    """The rows, once the live server's writes are visible to the test's connection."""
    for _attempt in range(int(seconds * 10)):
        if rows := stored(model):
            return rows
        page.wait_for_timeout(100)
    return stored(model)


def record_a_home_visit(page, child) -> None:
    page.goto(f"/children/{child.id}/visits/new")  # the copy kept on the phone
    form = page.locator("#visit-report")
    form.locator("textarea[name=present]").fill("Әжесі, бала")
    form.locator("textarea[name=living_note]").fill(VISIT_NOTE)
    form.locator("input[name=outcome][value=no_concerns]").check()
    form.locator("button[type=submit]").tap()
    expect(form.locator("[data-sync-state]")).to_have_text(text("Saved on this phone."))


def report_an_incident(page, child) -> None:
    page.goto(f"/children/{child.id}/incidents/new")  # the copy kept on the phone
    form = page.locator("#incident-form")
    form.locator("input[name=place][value=neighbourhood]").check()
    form.locator("input[name=involved][value=neighbours]").check()
    form.locator("input[name=what_happened][value=exclusion]").check()
    form.locator("input[name=severity][value=medium]").check()
    form.locator("textarea[name=immediate_action]").fill(INCIDENT_NOTE)
    form.locator("button[type=submit]").tap()
    expect(form.locator("[data-sync-state]")).to_contain_text(text("Saved on this phone."))


def test_a_home_visit_and_an_incident_recorded_offline_reach_the_server_once(
    page, log_in, worker, child
):
    log_in(page, worker)
    wait_until_offline_ready(page)
    go_offline(page.context)
    record_a_home_visit(page, child)
    report_an_incident(page, child)

    # On the phone: two entries, sealed; nothing anyone typed can be read back.
    raw = page.evaluate(RAW_DATABASE_JS)
    entries = raw["entries"]
    assert sorted(e["kind"] for e in entries) == ["incident", "visit_report"]
    assert all("payload" not in e and e["summary"] is None for e in entries)
    dump = json.dumps(raw, ensure_ascii=False)
    for typed in (VISIT_NOTE, INCIDENT_NOTE, "Әжесі, бала", child.family_name):
        assert typed not in dump
    assert stored(VisitReport) == [] and stored(Incident) == []

    bodies = sync_bodies()
    go_online(page.context)
    wait_for_outbox(page, "entries.length === 0")
    [report] = wait_for_rows(page, VisitReport)
    [incident] = wait_for_rows(page, Incident)
    assert (report.child_id, report.living_note, report.author_id) == (
        child.id,
        VISIT_NOTE,
        worker.id,
    )
    assert (incident.child_id, incident.immediate_action) == (child.id, INCIDENT_NOTE)
    sent = [op["op_id"] for body in bodies for op in body["ops"]]
    assert len(sent) == len(set(sent)) == 2  # each sent once, in one piece

    page.goto(f"/children/{child.id}/timeline")
    expect(page.locator(f".timeline-visit a[href='/visits/{report.id}']")).to_be_visible()
    expect(page.locator(f".timeline-incident a[href='/incidents/{incident.id}']")).to_be_visible()
