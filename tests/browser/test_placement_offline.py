"""A new placement recorded at a home with no signal, in a real Chromium at 360×640: the form
comes from the phone, the placement waits sealed in the outbox, reaches the server once the
connection returns, and is on the child's page."""

from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from app.casework.models import Placement, PlacementKind
from app.extensions import db
from tests.browser.offline import (
    go_offline,
    go_online,
    outbox,
    sync_bodies,
    text,
    wait_for_outbox,
    wait_until_offline_ready,
)

CAREGIVER = "Сәуле Ахметова"
PHONE = "+7 701 555 0199"


def placements(child) -> list[Placement]:
    db.session.expire_all()
    statement = select(Placement).where(Placement.child_id == child.id)
    return db.session.scalars(statement.order_by(Placement.starts_on)).all()


def placements_once_stored(page, child, count: int, seconds: float = 5) -> list[Placement]:
    """The placements, once the live server's write is visible to the test's connection."""
    for _attempt in range(int(seconds * 10)):
        found = placements(child)
        if len(found) >= count:
            return found
        page.wait_for_timeout(100)
    return placements(child)


def test_a_placement_recorded_offline_reaches_the_server_exactly_once(page, log_in, worker, child):
    log_in(page, worker)
    wait_until_offline_ready(page)
    go_offline(page.context)
    page.goto(f"/children/{child.id}/placements/new")  # from the phone, not the server
    form = page.locator("#placement-form")
    expect(form).to_be_visible()
    form.locator("select[name=kind]").select_option("foster_family")
    form.locator("input[name=starts_on]").fill("2026-11-16")
    form.locator("input[name='caregivers-0-name']").fill(CAREGIVER)
    form.locator("input[name='caregivers-0-phone']").fill(PHONE)
    bodies = sync_bodies()
    form.locator("button[type=submit]").tap()

    expect(form.locator("[data-sync-state]")).to_contain_text(text("Saved on this phone."))
    entries = outbox(page, "mine")
    assert [(e["kind"], e["status"]) for e in entries] == [("placement", "waiting")]
    assert "payload" not in entries[0] and CAREGIVER not in str(entries[0])  # sealed
    assert len(placements(child)) == 1

    go_online(page.context)
    wait_for_outbox(page, "entries.length === 0")
    old, new = placements_once_stored(page, child, 2)
    assert str(new.id) == entries[0]["record_id"]
    assert (new.kind, new.starts_on, old.ends_on) == (
        PlacementKind.FOSTER_FAMILY,
        date(2026, 11, 16),
        date(2026, 11, 15),
    )
    assert [(c.name, c.phone) for c in new.caregivers] == [(CAREGIVER, PHONE)]
    sent = [op for body in bodies for op in body["ops"]]
    assert len({op["op_id"] for op in sent}) == 1

    page.goto(f"/children/{child.id}")
    placements_section = page.locator("#placements")
    expect(placements_section.locator(".placement-current")).to_contain_text(CAREGIVER)


def test_online_the_placement_is_recorded_at_once_and_shown(page, log_in, worker, child):
    log_in(page, worker, to=f"/children/{child.id}/placements/new")
    form = page.locator("#placement-form")
    form.locator("select[name=kind]").select_option("guardianship")
    form.locator("button[type=submit]").tap()
    page.wait_for_url(f"**/children/{child.id}")
    expect(page.locator("#placements .placement-current")).to_be_visible()
    _old, new = placements_once_stored(page, child, 2)
    assert new.kind is PlacementKind.GUARDIANSHIP and outbox(page, "mine") == []
