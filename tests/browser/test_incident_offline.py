"""Reporting an incident without a connection, in a real Chromium at 360×640 (issue 6, point 4).

The report form is kept on the phone; offline, the report waits in the outbox, and reaches
the server exactly once when the connection returns.
"""

import json

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.incidents.models import Incident, Severity
from tests.browser.offline import (
    expect_waiting,
    go_offline,
    go_online,
    outbox,
    sync_bodies,
    text,
    wait_until_offline_ready,
)
from tests.factories import ChildFactory


@pytest.fixture
def child(school_class):
    return ChildFactory(school_class=school_class)


def incidents() -> list[Incident]:
    db.session.expire_all()
    return db.session.scalars(select(Incident)).all()


def fill_report(page) -> None:
    form = page.locator("#incident-form")
    form.locator("input[name=place][value=school_grounds]").check()
    form.locator("input[name=involved][value=peers]").check()
    form.locator("input[name=what_happened][value=verbal]").check()
    form.locator("input[name=severity][value=serious]").check()
    form.locator("textarea[name=immediate_action]").fill("Сыныппен сөйлестім.")


def test_a_teacher_reports_an_incident_offline_and_it_reaches_the_server_once(
    page, log_in, teacher, child
):
    other = ChildFactory(school_class=child.school_class, given_name="Ерасыл")
    log_in(page, teacher)
    wait_until_offline_ready(page)
    go_offline(page.context)
    # The one form kept on the phone stands in for each child's: the child is the address's.
    page.goto(f"/children/{other.id}/incidents/new")
    expect(page.locator("[data-child-name]")).to_contain_text(other.full_name)
    page.goto(f"/children/{child.id}/incidents/new")
    expect(page.locator("[data-child-name]")).to_contain_text(child.full_name)
    expect(page.locator("[data-child-name]")).not_to_contain_text(other.full_name)
    fill_report(page)
    page.locator("#incident-form button[type=submit]").tap()

    state = page.locator("#incident-form [data-sync-state]")
    expect(state).to_have_attribute("data-state", "saved")
    expect(state).to_contain_text(text("Saved on this phone."))
    expect_waiting(page, 1)
    [entry] = outbox(page)
    assert entry["kind"] == "incident" and "payload" not in entry  # sealed for the server
    assert entry["summary"] is None
    stored = json.dumps(entry, ensure_ascii=False)
    assert "Сыныппен сөйлестім" not in stored and str(child.id) not in stored
    assert incidents() == []

    bodies = sync_bodies()
    go_online(page.context)
    expect_waiting(page, 0, timeout=15_000)
    [incident] = incidents()
    assert (incident.reported_by_id, incident.severity) == (teacher.id, Severity.SERIOUS)
    assert incident.child_id == child.id
    assert str(incident.id) == entry["record_id"]
    assert len(bodies) == 1 and outbox(page) == []

    page.goto("/incidents/mine")
    expect(page.locator(f"[data-incident-id='{incident.id}']")).to_be_visible()


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_online_the_report_is_sent_at_once(page, log_in, teacher, child):
    log_in(page, teacher, to=f"/children/{child.id}/incidents/new")
    assert fits_the_phone(page)
    fill_report(page)
    page.locator("#incident-form button[type=submit]").tap()
    expect(page).to_have_url(f"{page.url.split('/children')[0]}/incidents/mine")
    [incident] = incidents()
    expect(page.locator(f"[data-incident-id='{incident.id}']")).to_be_visible()
    assert outbox(page) == [] and fits_the_phone(page)


def test_the_phones_form_opened_for_no_child_of_the_person_says_where_to_open_it(
    page, log_in, teacher, child
):
    stranger = ChildFactory()  # in another class: not among the teacher's children
    log_in(page, teacher)
    wait_until_offline_ready(page)
    go_offline(page.context)
    for path in ("/incidents/new", f"/children/{stranger.id}/incidents/new"):
        page.goto(path)  # the one copy kept on the phone, for an address naming none of them
        expect(page.locator("[data-no-child]")).to_have_text(
            text("Open this form from the child's page.")
        )
        expect(page.locator("#incident-form")).to_be_hidden()
        assert stranger.full_name not in page.content()
