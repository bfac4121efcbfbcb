"""A visit report filled in at a home with no signal (issue 6, point 3), in a real Chromium
at 360×640: saved on the phone, sent once the connection returns, stored exactly once."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from app.casework.models import Rating, VisitOutcome, VisitReport
from app.extensions import db
from app.sync.sealed import plain_payload
from tests.browser.offline import (
    go_offline,
    go_online,
    outbox,
    sync_bodies,
    text,
    wait_for_outbox,
    wait_until_offline_ready,
)


def reports() -> list[VisitReport]:
    db.session.expire_all()
    return db.session.scalars(select(VisitReport)).all()


def reports_once_stored(page, seconds: float = 5) -> list[VisitReport]:
    """The reports, once the live server's write is visible to the test's connection."""
    for _attempt in range(int(seconds * 10)):
        found = reports()
        if found:
            return found
        page.wait_for_timeout(100)
    return reports()


def test_a_visit_report_filled_offline_reaches_the_server_exactly_once(page, log_in, worker, child):
    log_in(page, worker)
    wait_until_offline_ready(page)
    go_offline(page.context)
    page.goto(f"/children/{child.id}/visits/new")  # from the phone, not the server
    form = page.locator("#visit-report")
    expect(form).to_be_visible()
    form.locator("textarea[name=present]").fill("Әжесі, бала")
    form.locator("input[name=stigma_rating][value=concern]").check()
    form.locator("textarea[name=stigma_note]").fill("Сыныптастары мазақтайды")
    form.locator("input[name=outcome][value=follow_up]").check()
    form.locator("input[name='actions-0-what']").fill("Мектеп психологымен кездесу")
    bodies = sync_bodies()
    form.locator("button[type=submit]").tap()

    expect(form.locator("[data-sync-state]")).to_have_text(text("Saved on this phone."))
    entries = outbox(page, "mine")
    assert [(e["kind"], e["status"]) for e in entries] == [("visit_report", "waiting")]
    assert child.full_name not in str(entries[0]["summary"])
    assert reports() == []

    go_online(page.context)
    wait_for_outbox(page, "entries.length === 0")
    (report,) = reports_once_stored(page)
    assert str(report.id) == entries[0]["record_id"]
    assert (report.stigma_rating, report.stigma_note) == (Rating.CONCERN, "Сыныптастары мазақтайды")
    assert report.outcome is VisitOutcome.FOLLOW_UP and report.author_id == worker.id
    assert [a.what for a in report.actions] == ["Мектеп психологымен кездесу"]
    sent = [op for body in bodies for op in body["ops"]]
    assert len({op["op_id"] for op in sent}) == 1
    # A new report carries the fields filled in, not every blank one (opened as the server does).
    fields = plain_payload(sent[0])["fields"]
    assert {"present", "stigma_rating", "stigma_note", "outcome", "actions"} <= set(fields)
    assert all(change["value"] not in ("", []) for change in fields.values())
    assert "health_note" not in fields


def test_online_the_report_is_sent_at_once_and_shown(page, log_in, worker, child):
    log_in(page, worker)
    page.goto(f"/children/{child.id}/visits/new")
    form = page.locator("#visit-report")
    form.locator("input[name=outcome][value=no_concerns]").check()
    form.locator("button[type=submit]").tap()
    page.wait_for_url(re.compile(r"/visits/[0-9a-f-]{36}$"))
    (report,) = reports_once_stored(page)
    assert page.url.endswith(f"/visits/{report.id}")
    assert outbox(page, "mine") == []
