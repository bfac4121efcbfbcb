"""A child's timeline (issue 6, point 6) and the social worker's alerts (point 7)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.attendance.models import Status
from app.children.alerts import alerts_for
from app.core.domains import EXTENSION
from app.extensions import db
from app.incidents.models import Incident
from app.incidents.models import Status as IncidentStatus
from tests.authorisation import build_world
from tests.casework_factories import PlacementFactory, VisitReportFactory
from tests.conftest import TODAY, count_queries
from tests.factories import AttendanceMarkFactory, ChildFactory, UserFactory

MONDAY = date(2026, 11, 16)  # the week of TODAY


@pytest.fixture
def world():
    return build_world()


def mark(world, child, day, status):
    AttendanceMarkFactory(
        child_obj=child, recorded_by=world.people["teacher_a"], day=day, status=status
    )


def test_the_timeline_shows_attendance_by_week_newest_first(client, auth, world):
    mark(world, world.child, MONDAY, Status.ABSENT)
    mark(world, world.child, MONDAY + timedelta(days=1), Status.PRESENT)
    mark(world, world.child, MONDAY - timedelta(days=7), Status.LATE)
    auth.log_in_as(world.people["teacher_a"])
    page = client.get(f"/children/{world.child.id}/timeline").get_data(as_text=True)
    this_week = page.index(f'datetime="{MONDAY.isoformat()}"')
    last_week = page.index(f'datetime="{(MONDAY - timedelta(days=7)).isoformat()}"')
    assert this_week < last_week
    week = page[this_week:last_week]
    assert "Absent" in week and "Present" in week and "Late" not in week


def test_the_timeline_of_a_child_without_marks_says_so(client, auth, world):
    auth.log_in_as(world.people["committee_b"])
    page = client.get(f"/children/{world.child_b.id}/timeline").get_data(as_text=True)
    assert "Nothing has been recorded for this child this school year." in page


def test_the_child_page_links_to_the_timeline(client, auth, world):
    auth.log_in_as(world.people["social_worker_a"])
    page = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    assert f'href="/children/{world.child.id}/timeline"' in page


def _school_days_back(count):
    days, day = [], TODAY
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return days


def test_a_child_below_85_percent_over_four_weeks_is_an_alert(world):
    for number, day in enumerate(_school_days_back(20)):
        mark(world, world.child, day, Status.ABSENT if number < 4 else Status.PRESENT)  # 80 %
    [alert] = alerts_for(world.people["social_worker_a"], TODAY)
    assert (alert.kind, alert.child_id, alert.value) == ("low_attendance", world.child.id, 0.8)
    assert alerts_for(world.people["social_worker_b"], TODAY) == []  # not their caseload


def test_85_percent_or_old_absences_raise_no_alert(world):
    for number, day in enumerate(_school_days_back(20)):
        mark(world, world.child, day, Status.ABSENT if number < 3 else Status.LATE)  # 85 %
    old = TODAY - timedelta(days=40)
    for offset in range(10):
        mark(world, world.child_b, old - timedelta(days=offset), Status.ABSENT)
    assert alerts_for(world.people["social_worker_a"], TODAY) == []
    assert alerts_for(world.people["social_worker_b"], TODAY) == []


def test_a_handful_of_marks_is_too_few_for_an_alert(world):
    for day in _school_days_back(4):
        mark(world, world.child, day, Status.ABSENT)
    assert alerts_for(world.people["social_worker_a"], TODAY) == []


def test_the_caseload_page_shows_the_alerts(client, auth, world):
    for day in _school_days_back(10):
        mark(world, world.child, day, Status.ABSENT)
    auth.log_in_as(world.people["social_worker_a"])
    page = client.get("/caseload").get_data(as_text=True)
    assert "Needs your attention" in page
    assert "attendance over the last four weeks is 0%" in page


def test_the_alerts_take_the_same_queries_for_few_and_many_children(world):
    from sqlalchemy import insert

    from app.children.models import caseload

    worker = world.people["social_worker_a"]
    with count_queries() as few:
        alerts_for(worker, TODAY)
    for child in ChildFactory.create_batch(10, school_class=world.school_class):
        db.session.execute(insert(caseload).values(user_id=worker.id, child_id=child.id))
        mark(world, child, TODAY, Status.ABSENT)
    db.session.commit()
    with count_queries() as many:
        alerts_for(worker, TODAY)
    assert len(few) == len(many)


def test_the_timeline_shows_an_incident_as_each_person_may_see_it(client, auth, world):
    auth.log_in_as(world.people["social_worker_a"])
    page = client.get(f"/children/{world.child.id}/timeline")
    text = page.get_data(as_text=True)
    assert "Incident report" in text and "Significant" in text and "Open" in text
    assert page.headers.get("X-Qadam-Restricted") == "1"  # never kept on a phone
    client.post("/logout", data={"csrf_token": auth.csrf_token()})
    auth.log_in_as(world.people["teacher_a"])  # who reported it: the status, not the casework
    page = client.get(f"/children/{world.child.id}/timeline")
    text = page.get_data(as_text=True)
    assert "Incident report" in text and "Open" in text and "Significant" not in text
    assert "X-Qadam-Restricted" not in page.headers


def test_another_teacher_of_the_child_does_not_see_the_incident(client, auth, world):
    colleague = UserFactory()
    world.school_class.teachers.append(colleague)
    db.session.commit()
    auth.log_in_as(colleague)
    text = client.get(f"/children/{world.child.id}/timeline").get_data(as_text=True)
    assert "timeline-incident" not in text


@pytest.mark.parametrize(("days", "alert"), [(15, True), (13, False)])
def test_an_incident_unresolved_after_14_days_is_an_alert(world, days, alert):
    incident = db.session.get(Incident, world.incident_id)
    incident.reported_at = datetime.combine(TODAY - timedelta(days=days), time(9), UTC)
    db.session.commit()
    found = alerts_for(world.people["social_worker_a"], TODAY)
    assert [(a.kind, a.value) for a in found] == ([("unresolved_incident", days)] if alert else [])
    assert alerts_for(world.people["social_worker_b"], TODAY) == []


def test_a_resolved_incident_is_no_alert(world):
    incident = db.session.get(Incident, world.incident_id)
    incident.reported_at = datetime.combine(TODAY - timedelta(days=30), time(9), UTC)
    incident.status = IncidentStatus.RESOLVED
    db.session.commit()
    assert alerts_for(world.people["social_worker_a"], TODAY) == []


def test_placements_and_visits_are_on_the_timeline_of_the_social_worker_only(client, auth, world):
    worker = world.people["social_worker_a"]
    placement = PlacementFactory(child_obj=world.child, worker=worker, starts_on=date(2026, 9, 7))
    report = VisitReportFactory(placement=placement, worker=worker, visited_on=date(2026, 10, 5))
    for person in ("social_worker_a", "committee_a"):
        auth.log_in_as(world.people[person])
        page = client.get(f"/children/{world.child.id}/timeline").get_data(as_text=True)
        assert "timeline-placement" in page and f'href="/visits/{report.id}"' in page
        client.post("/logout", data={"csrf_token": auth.csrf_token()})
    auth.log_in_as(world.people["teacher_a"])
    page = client.get(f"/children/{world.child.id}/timeline").get_data(as_text=True)
    assert "timeline-placement" not in page and "timeline-visit" not in page


def test_an_overdue_visit_is_an_alert(world):
    worker = world.people["social_worker_a"]
    placement = PlacementFactory(child_obj=world.child, worker=worker, starts_on=date(2026, 6, 1))
    VisitReportFactory(placement=placement, worker=worker, visited_on=date(2026, 9, 1))
    [alert] = [a for a in alerts_for(worker, TODAY) if a.kind == "overdue_visit"]
    assert alert.child_id == world.child.id and alert.value < TODAY
    VisitReportFactory(
        placement=placement, worker=worker, visited_on=TODAY, next_visit_on=date(2026, 12, 18)
    )
    assert [a for a in alerts_for(worker, TODAY) if a.kind == "overdue_visit"] == []


def test_the_alerts_come_in_one_order_whatever_order_the_domains_register_in(app, world):
    worker = world.people["social_worker_a"]
    for number, day in enumerate(_school_days_back(20)):
        mark(world, world.child, day, Status.ABSENT if number < 4 else Status.PRESENT)
    placement = PlacementFactory(child_obj=world.child, worker=worker, starts_on=date(2026, 6, 1))
    VisitReportFactory(placement=placement, worker=worker, visited_on=date(2026, 9, 1))
    incident = db.session.get(Incident, world.incident_id)
    incident.reported_at = datetime.combine(TODAY - timedelta(days=20), time(9), UTC)
    db.session.commit()
    order = ["low_attendance", "overdue_visit", "unresolved_incident"]
    assert [alert.kind for alert in alerts_for(worker, TODAY)] == order
    registered = app.extensions[EXTENSION]
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(app.extensions, EXTENSION, tuple(reversed(registered)))
        assert [alert.kind for alert in alerts_for(worker, TODAY)] == order
