"""A child's timeline (issue 6, point 6) and the social worker's alerts (point 7)."""

from datetime import date, timedelta

import pytest

from app.attendance.models import Status
from app.children.alerts import alerts_for
from tests.authorisation import build_world
from tests.conftest import TODAY, count_queries
from tests.factories import AttendanceMarkFactory, ChildFactory

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
    auth.login(world.people["teacher_a"])
    page = client.get(f"/children/{world.child.id}/timeline").get_data(as_text=True)
    this_week = page.index(f'datetime="{MONDAY.isoformat()}"')
    last_week = page.index(f'datetime="{(MONDAY - timedelta(days=7)).isoformat()}"')
    assert this_week < last_week
    week = page[this_week:last_week]
    assert "Absent" in week and "Present" in week and "Late" not in week


def test_the_timeline_of_a_child_without_marks_says_so(client, auth, world):
    auth.login(world.people["committee_a"])
    page = client.get(f"/children/{world.child.id}/timeline").get_data(as_text=True)
    assert "Nothing has been recorded for this child this school year." in page


def test_the_child_page_links_to_the_timeline(client, auth, world):
    auth.login(world.people["social_worker_a"])
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
    auth.login(world.people["social_worker_a"])
    page = client.get("/caseload").get_data(as_text=True)
    assert "Needs your attention" in page
    assert "attendance over the last four weeks is 0%" in page


def test_the_alerts_take_the_same_queries_for_few_and_many_children(world):
    from sqlalchemy import insert

    from app.children.models import caseload
    from app.extensions import db

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
