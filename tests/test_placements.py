"""Placements and the visit plan (issue 6, points 1 and 2): a placement history that is never
overwritten, seen by the child's social worker and the committee only; the caseload by next
visit due, overdue first, with the count in the header."""

from datetime import date

import pytest
from sqlalchemy import func, insert, select

from app.casework.models import Placement, PlacementCaregiver, PlacementKind
from app.casework.schedule import add_months, next_visit_due
from app.children.models import caseload
from app.core.audit import AuditEvent
from app.extensions import db
from tests.authorisation import build_world
from tests.casework_factories import PlacementFactory, VisitReportFactory
from tests.conftest import TODAY, count_queries, load_demo
from tests.factories import ChildFactory

CAREGIVER = "Сәуле Ахметова"
PHONE = "+7 701 555 0199"


@pytest.fixture
def world(client, auth):
    world = build_world()
    auth.log_in_as(world.people["social_worker_a"])
    return world


def placement_data(auth, **changes) -> dict:
    data = {
        "csrf_token": auth.csrf_token(),
        "kind": "relatives",
        "starts_on": "2026-11-02",
        "district": "Аудан А",
        "monthly_months": "6",
        "then_every_months": "3",
        "caregivers-0-name": CAREGIVER,
        "caregivers-0-relationship": "Әжесі",
        "caregivers-0-phone": PHONE,
    }
    return data | changes


def placements(child) -> list[Placement]:
    db.session.expire_all()
    return db.session.scalars(
        select(Placement).where(Placement.child_id == child.id).order_by(Placement.starts_on)
    ).all()


def switch_to(client, auth, user) -> None:
    client.post("/logout", data={"csrf_token": auth.csrf_token()})
    auth.log_in_as(user)


# -- placements -----------------------------------------------------------------------------


def test_a_new_placement_ends_the_current_one_the_day_before_and_keeps_the_history(
    client, auth, world
):
    url = f"/children/{world.child.id}/placements/new"
    first = client.post(url, data=placement_data(auth, starts_on="2026-03-02", kind="mother"))
    assert first.status_code == 303
    second = client.post(url, data=placement_data(auth))
    assert second.status_code == 303
    old, new = placements(world.child)
    assert (old.kind, old.starts_on, old.ends_on) == (
        PlacementKind.MOTHER,
        date(2026, 3, 2),
        date(2026, 11, 1),
    )
    assert (new.kind, new.ends_on, new.monthly_months, new.then_every_months) == (
        PlacementKind.RELATIVES,
        None,
        6,
        3,
    )
    assert [(c.name, c.phone) for c in new.caregivers] == [(CAREGIVER, PHONE)]
    page = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    assert "With their mother" in page and "With relatives (kinship care)" in page
    assert CAREGIVER in page


def test_the_visit_plan_is_set_per_placement(client, auth, world):
    data = placement_data(auth, monthly_months="3", then_every_months="2")
    client.post(f"/children/{world.child.id}/placements/new", data=data)
    (placement,) = placements(world.child)
    assert (placement.monthly_months, placement.then_every_months) == (3, 2)


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_on": "2026-12-01"},  # in the future
        {"starts_on": ""},
        {"kind": "orphanage"},
        {"then_every_months": "0"},
    ],
)
def test_bad_placement_input_is_refused_with_a_message_and_nothing_is_written(
    client, auth, world, changes
):
    response = client.post(
        f"/children/{world.child.id}/placements/new", data=placement_data(auth, **changes)
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.get_data(as_text=True) or "field-error" in response.get_data(
        as_text=True
    )
    assert placements(world.child) == []
    assert db.session.scalar(select(func.count()).select_from(PlacementCaregiver)) == 0


def test_a_placement_cannot_start_before_the_current_one_began(client, auth, world):
    url = f"/children/{world.child.id}/placements/new"
    client.post(url, data=placement_data(auth))
    response = client.post(url, data=placement_data(auth, starts_on="2026-10-01"))
    assert response.status_code == 422
    assert "must start after the current one began" in response.get_data(as_text=True)
    (only,) = placements(world.child)
    assert only.ends_on is None


def test_teachers_never_see_a_placement_not_even_that_it_exists(client, auth, world):
    placement = PlacementFactory(
        child_obj=world.child, worker=world.people["social_worker_a"], district="DISTRICT-MARK"
    )
    VisitReportFactory(placement=placement, worker=world.people["social_worker_a"])
    switch_to(client, auth, world.people["teacher_a"])
    page = client.get(f"/children/{world.child.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for hidden in ('id="placements"', 'id="visits"', "With relatives", "DISTRICT-MARK"):
        assert hidden not in html
    assert client.get(f"/children/{world.child.id}/placements/new").status_code == 404


def test_the_committee_reads_placements_but_cannot_record_one(client, auth, world):
    PlacementFactory(child_obj=world.child, worker=world.people["social_worker_a"])
    switch_to(client, auth, world.people["committee_a"])
    html = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    assert "With relatives (kinship care)" in html
    assert "Record a new placement" not in html
    response = client.post(f"/children/{world.child.id}/placements/new", data=placement_data(auth))
    assert response.status_code == 404
    assert len(placements(world.child)) == 1


def test_recording_and_viewing_placements_is_in_the_childs_history(client, auth, world):
    client.post(f"/children/{world.child.id}/placements/new", data=placement_data(auth))
    client.get(f"/children/{world.child.id}")
    (placement,) = placements(world.child)
    events = db.session.execute(select(AuditEvent.action, AuditEvent.record_type)).all()
    assert ("create", "placement") in events and ("view", "placement") in events
    assert ("placement_create", "child") in events and ("view_casework", "child") in events
    events_of_placement = db.session.scalars(
        select(AuditEvent.record_id).where(AuditEvent.record_type == "placement")
    ).all()
    assert set(events_of_placement) == {str(placement.id)}
    switch_to(client, auth, world.people["committee_a"])
    html = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    assert "recorded a new placement" in html


# -- the next visit due ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 8, 31), 3, date(2026, 11, 30)),
    ],
)
def test_months_are_added_to_the_last_day_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


def test_with_no_visit_the_first_is_due_a_month_after_the_placement_began():
    assert next_visit_due(date(2026, 1, 31), 6, 3) == date(2026, 2, 28)


def test_visits_are_monthly_in_the_first_months_then_by_the_later_interval():
    start = date(2026, 1, 10)
    assert next_visit_due(start, 6, 3, last_visit_on=date(2026, 7, 9)) == date(2026, 8, 9)
    assert next_visit_due(start, 6, 3, last_visit_on=date(2026, 7, 10)) == date(2026, 10, 10)
    assert next_visit_due(start, 0, 2, last_visit_on=date(2026, 1, 31)) == date(2026, 3, 31)


def test_a_next_visit_agreed_at_the_latest_visit_wins():
    due = next_visit_due(date(2026, 1, 10), 6, 3, date(2026, 2, 1), date(2026, 2, 15))
    assert due == date(2026, 2, 15)


# -- the caseload ---------------------------------------------------------------------------


def caseload_of(worker, count: int) -> list:
    children = ChildFactory.create_batch(count)
    db.session.execute(
        insert(caseload), [{"user_id": worker.id, "child_id": c.id} for c in children]
    )
    db.session.commit()
    return children


def test_the_caseload_lists_children_by_next_visit_due_overdue_first_and_marked(
    client, auth, world
):
    worker = world.people["social_worker_a"]
    soon, overdue, no_placement, late_overdue = caseload_of(worker, 4)
    PlacementFactory(child_obj=soon, worker=worker, starts_on=date(2026, 11, 1))  # 1 Dec
    old = PlacementFactory(child_obj=overdue, worker=worker, starts_on=date(2026, 1, 5))
    VisitReportFactory(placement=old, worker=worker, visited_on=date(2026, 8, 1))  # 1 Nov
    PlacementFactory(child_obj=late_overdue, worker=worker, starts_on=date(2026, 10, 10))
    PlacementFactory(child_obj=world.child, worker=worker, starts_on=date(2026, 11, 10))
    html = client.get("/caseload").get_data(as_text=True)
    order = (overdue, late_overdue, soon, world.child, no_placement)  # 1 Nov, 10 Nov, 1 Dec, 10 Dec
    rows = [html.index(f'data-child-id="{c.id}"') for c in order]
    assert rows == sorted(rows)
    assert html.count('class="overdue"') == 2
    assert html.count("Overdue:") == 2  # in words too, not only a colour
    assert "No placement recorded" in html
    assert "2 overdue" in html  # the header
    assert "2 visits overdue" in html


def test_the_overdue_count_is_in_every_page_header_of_a_social_worker_only(client, auth, world):
    worker = world.people["social_worker_a"]
    PlacementFactory(child_obj=world.child, worker=worker, starts_on=date(2026, 1, 5))
    html = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    assert 'id="overdue-count"' in html and "1 overdue" in html
    switch_to(client, auth, world.people["committee_a"])
    assert 'id="overdue-count"' not in client.get("/district").get_data(as_text=True)


def test_the_header_count_costs_one_query_whatever_the_caseload(client, auth, world):
    worker = world.people["social_worker_a"]

    def queries_for(count: int) -> int:
        for child in caseload_of(worker, count):
            placement = PlacementFactory(child_obj=child, worker=worker)
            VisitReportFactory(placement=placement, worker=worker)
        with count_queries() as statements:
            assert client.get("/account/security").status_code == 200
        return len(statements)

    small = queries_for(5)
    assert queries_for(25) == small


def test_the_demo_caseload_has_placements_visits_and_some_overdue(runner, client, auth):
    from app.auth.models import Role, User
    from app.casework.due import caseload_due
    from app.casework.models import VisitReport

    load_demo(runner)
    worker = db.session.scalar(select(User).where(User.role == Role.SOCIAL_WORKER))
    due = caseload_due(worker).values()
    assert sum(d.placement is None for d in due) == 3
    assert sum(d.overdue(TODAY) for d in due) >= 5
    assert sum(not d.overdue(TODAY) and d.placement is not None for d in due) >= 10
    assert db.session.scalar(select(func.count()).select_from(VisitReport)) > 30
    auth.login(worker, password="demo-password-2026")
    html = client.get("/caseload").get_data(as_text=True)
    assert 'id="overdue-count"' in html
    texts = " ".join(r.present + r.needs_note for r in db.session.scalars(select(VisitReport)))
    for label in ("returnee", "terror", "FTF", "возвращ", "террор", "оралған"):
        assert label.lower() not in texts.lower()


def test_anonymising_a_child_removes_the_households_names_and_the_visit_notes(world):
    from app.casework.models import VisitReport
    from app.children.retention import anonymise

    worker = world.people["social_worker_a"]
    placement = PlacementFactory(child_obj=world.child, worker=worker)
    db.session.add(PlacementCaregiver(placement_id=placement.id, name=CAREGIVER, phone=PHONE))
    report = VisitReportFactory(placement=placement, worker=worker, health_note="A cough")
    db.session.commit()
    anonymise(world.child)
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PlacementCaregiver)) == 0
    kept = db.session.get(VisitReport, report.id)
    assert (kept.present, kept.health_note, kept.visited_on) == ("", "", report.visited_on)
    assert db.session.get(Placement, placement.id).kind is PlacementKind.RELATIVES
