"""Who is due for the committee's review, why and since when (issue 14, point 1)."""

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.attendance.models import Status
from app.casework.due import visits_due
from app.casework.models import Placement, PlacementKind
from app.casework.schedule import next_visit_due
from app.committee import due
from app.committee.models import DecisionAction
from app.core import clock, paging
from app.core.audit import AuditEvent
from app.extensions import db
from app.incidents.models import ReviewItem
from app.results.models import Subject, TermResult
from app.tasks.models import TaskStatus
from tests.casework_factories import PlacementFactory, VisitReportFactory
from tests.committee_helpers import (
    decide,
    district_class,
    followed_child,
    meeting_on,
    member,
    worker,
)
from tests.conftest import TODAY, count_queries
from tests.factories import AttendanceMarkFactory, ChildFactory, TermFactory, UserFactory

QUIET_START = date(2026, 11, 1)  # a placement this recent: no review, no visit due yet


@pytest.fixture
def committee():
    return member()


@pytest.fixture
def social_worker():
    return worker()


@pytest.fixture
def klass():
    return district_class()


def reasons_now(user, child, today: date = TODAY) -> list[tuple[str, date]]:
    found = due.reasons_of(user, today, [child.id]).get(child.id, [])
    return [(reason.kind, reason.since) for reason in found]


def test_a_child_followed_recently_is_not_due(committee, social_worker, klass):
    child = followed_child(klass, social_worker, QUIET_START)
    assert reasons_now(committee, child) == []


def test_a_child_never_reviewed_is_due_three_months_after_the_follow_up_began(
    committee, social_worker, klass
):
    child = followed_child(klass, social_worker, date(2026, 8, 10))
    placement = db.session.scalars(select(Placement).filter_by(child_id=child.id)).one()
    VisitReportFactory(placement=placement, worker=social_worker, visited_on=date(2026, 11, 1))
    assert reasons_now(committee, child) == [("review_date", date(2026, 11, 10))]


def test_a_child_without_placement_is_due_from_the_day_they_were_entered(
    committee, social_worker, klass
):
    child = followed_child(klass, social_worker, starts_on=None)  # entered 5 January 2026
    assert reasons_now(committee, child) == [("review_date", date(2026, 4, 5))]


def test_the_district_chooses_its_interval(client, auth, committee, social_worker, klass):
    child = followed_child(klass, social_worker, date(2026, 8, 10))
    placement = db.session.scalars(select(Placement).filter_by(child_id=child.id)).one()
    VisitReportFactory(placement=placement, worker=social_worker, visited_on=date(2026, 11, 1))
    auth.log_in_as(committee)
    assert 'value="3"' in client.get("/committee/settings").get_data(as_text=True)
    response = client.post(
        "/committee/settings", data={"csrf_token": auth.csrf_token(), "months": "6"}
    )
    assert response.status_code == 303
    assert reasons_now(committee, child) == []  # due on 10 February 2027 now
    assert ("review_date", date(2027, 2, 10)) in reasons_now(committee, child, date(2027, 2, 10))
    other_district = member("Басқа аудан")
    assert due._interval(other_district) is not None
    refused = client.post(
        "/committee/settings", data={"csrf_token": auth.csrf_token(), "months": "0"}
    )
    assert refused.status_code == 422
    assert "from 1 to 24" in refused.get_data(as_text=True)


def test_a_serious_incident_puts_any_child_of_the_district_forward(committee, klass):
    child = ChildFactory(school_class=klass)  # not followed: the incident still counts
    added = datetime(2026, 11, 12, 8, 0, tzinfo=UTC)
    db.session.add(ReviewItem(child=child, reason="serious_incident", added_at=added))
    db.session.commit()
    assert reasons_now(committee, child) == [("serious_incident", date(2026, 11, 12))]
    assert reasons_now(member("Басқа аудан"), child) == []


def test_a_new_placement_puts_the_child_forward(committee, social_worker, klass):
    child = followed_child(klass, social_worker, QUIET_START)
    first = PlacementFactory(child_obj=child, worker=social_worker, starts_on=date(2026, 9, 1))
    first.ends_on = date(2026, 10, 31)
    db.session.commit()
    assert ("new_placement", QUIET_START) in reasons_now(committee, child)


def test_a_visit_overdue_by_more_than_thirty_days_puts_the_child_forward(
    committee, social_worker, klass
):
    overdue = followed_child(klass, social_worker, date(2026, 9, 1))  # visit due 1 October
    assert reasons_now(committee, overdue) == [("visit_overdue", date(2026, 10, 1))]
    late = followed_child(klass, social_worker, date(2026, 9, 1))
    placement = db.session.scalars(select(Placement).filter_by(child_id=late.id)).one()
    VisitReportFactory(
        placement=placement,
        worker=social_worker,
        visited_on=date(2026, 9, 20),
        next_visit_on=date(2026, 10, 25),  # overdue by 24 days only
    )
    assert reasons_now(committee, late) == []


@pytest.mark.parametrize(
    ("starts_on", "monthly", "then", "visited_on", "agreed"),
    [
        (date(2026, 1, 31), 6, 3, None, None),
        (date(2025, 12, 31), 1, 2, date(2026, 3, 31), None),
        (date(2025, 8, 30), 6, 3, date(2025, 11, 30), None),
        (date(2024, 2, 29), 0, 12, date(2025, 2, 28), None),
        (date(2026, 3, 2), 6, 3, date(2026, 5, 2), date(2026, 5, 20)),
    ],
)
def test_the_sql_rule_of_the_next_visit_agrees_with_the_schedule(
    social_worker, klass, starts_on, monthly, then, visited_on, agreed
):
    child = followed_child(klass, social_worker, starts_on=None)
    placement = PlacementFactory(
        child_obj=child,
        worker=social_worker,
        starts_on=starts_on,
        monthly_months=monthly,
        then_every_months=then,
        kind=PlacementKind.MOTHER,
    )
    if visited_on:
        VisitReportFactory(
            placement=placement, worker=social_worker, visited_on=visited_on, next_visit_on=agreed
        )
    [(_child_id, due_on)] = db.session.execute(visits_due([child.id])).all()
    assert due_on == next_visit_due(starts_on, monthly, then, visited_on, agreed)


def test_low_attendance_over_four_weeks_puts_the_child_forward(committee, social_worker, klass):
    child = followed_child(klass, social_worker, QUIET_START)
    teacher = UserFactory()
    for n, day in enumerate(range(2, 16)):
        status = Status.ABSENT if n % 4 == 0 else Status.PRESENT  # 4 of 14 absent: 71 %
        AttendanceMarkFactory(
            child_obj=child, recorded_by=teacher, day=date(2026, 11, day), status=status
        )
    assert reasons_now(committee, child) == [("low_attendance", date(2026, 10, 22))]


def test_a_term_mark_of_2_puts_the_child_forward(committee, social_worker, klass):
    child = followed_child(klass, social_worker, QUIET_START)
    term = TermFactory()
    subject = Subject(
        code="physics", grade_from=1, grade_to=11, name_en="Physics", name_kk="Физика",
        name_ru="Физика", name_ar="الفيزياء",
    )  # fmt: skip
    db.session.add(subject)
    db.session.flush()
    entered = datetime(2026, 11, 16, 6, 0, tzinfo=UTC)
    db.session.add(
        TermResult(
            child_id=child.id, subject_id=subject.id, term_id=term.id, class_id=klass.id,
            mark=2, recorded_by_id=social_worker.id, recorded_at=entered,
        )
    )  # fmt: skip
    db.session.commit()
    assert reasons_now(committee, child) == [("failing_mark", date(2026, 11, 16))]


def test_a_decision_takes_the_child_off_until_the_next_date_or_a_newer_reason(
    committee, social_worker, klass, monkeypatch
):
    child = followed_child(klass, social_worker, date(2026, 8, 10))
    placement = db.session.scalars(select(Placement).filter_by(child_id=child.id)).one()
    VisitReportFactory(placement=placement, worker=social_worker, visited_on=date(2026, 11, 1))
    old = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    db.session.add(ReviewItem(child=child, reason="serious_incident", added_at=old))
    db.session.commit()
    assert len(reasons_now(committee, child)) == 2
    meeting = meeting_on(TODAY, committee, [child])
    decide(committee, meeting, child, date(2027, 2, 18))
    assert reasons_now(committee, child) == []
    assert db.session.scalars(select(ReviewItem.reviewed_at)).one() is not None
    later = date(2026, 11, 25)
    monkeypatch.setattr(clock, "today", lambda: later)
    assert reasons_now(committee, child, later) == []
    newer = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    db.session.add(ReviewItem(child=child, reason="serious_incident", added_at=newer))
    db.session.commit()
    assert reasons_now(committee, child, later) == [("serious_incident", date(2026, 11, 24))]
    assert ("review_date", date(2027, 2, 18)) in reasons_now(committee, child, date(2027, 2, 18))


def test_an_overdue_action_puts_the_child_forward(committee, social_worker, klass):
    from app.committee import decisions
    from app.committee.decisions import ActionInput, DecisionInput
    from app.committee.models import Assignee, Outcome

    child = followed_child(klass, social_worker, QUIET_START)
    meeting = meeting_on(date(2026, 11, 5), committee, [child])
    action = ActionInput("Arrange a psychologist", Assignee.SOCIAL_WORKER, "", date(2026, 12, 1))
    data = DecisionInput(uuid.uuid4(), Outcome.CONTINUE, date(2027, 1, 5), actions=[action])
    decisions.record(committee, meeting, child.id, data)
    db.session.commit()
    assert reasons_now(committee, child) == []
    stored = db.session.scalars(select(DecisionAction)).one()
    stored.task.due_on = date(2026, 11, 10)  # as if it was given then, and not done since
    db.session.commit()
    assert reasons_now(committee, child) == [("overdue_action", date(2026, 11, 10))]
    stored.task.status = TaskStatus.DONE  # the status its task holds (app/tasks)
    db.session.commit()
    assert reasons_now(committee, child) == []


def test_the_due_list_shows_reasons_and_audits_the_children_shown(
    client, auth, committee, social_worker, klass, monkeypatch
):
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    children = [followed_child(klass, social_worker, date(2026, 9, n)) for n in (1, 2, 3)]
    auth.log_in_as(committee)
    first = client.get("/committee/due").get_data(as_text=True)
    assert children[0].full_name in first and children[1].full_name in first
    assert children[2].full_name not in first
    assert "A follow-up visit overdue since Oct 1, 2026" in first
    second = client.get("/committee/due?page=2").get_data(as_text=True)
    assert children[2].full_name in second
    audited = db.session.scalars(
        select(AuditEvent.record_id).where(AuditEvent.action == "view_review")
    ).all()
    assert sorted(map(str, audited)) == sorted(str(child.id) for child in children)
    assert client.get("/review?page=2").location.endswith("/committee/due?page=2")


def test_the_due_list_in_kazakh_has_no_english(client, auth, social_worker, klass):
    followed_child(klass, social_worker, date(2026, 9, 1))
    auth.log_in_as(member(lang="kk"))
    html = client.get("/committee/due").get_data(as_text=True)
    assert "overdue since" not in html and "Due for review" not in html


def test_the_due_list_costs_the_same_statements_however_long(
    client, auth, committee, social_worker, klass
):
    auth.log_in_as(committee)
    followed_child(klass, social_worker, date(2026, 9, 1))
    with count_queries() as few:
        client.get("/committee/due")
    for n in range(8):
        child = followed_child(klass, social_worker, date(2026, 8, 1 + n))
        db.session.add(
            ReviewItem(
                child=child, reason="serious_incident", added_at=datetime(2026, 11, 3, tzinfo=UTC)
            )
        )
    db.session.commit()
    with count_queries() as many:
        html = client.get("/committee/due").get_data(as_text=True)
    assert html.count('class="due-item"') == 9
    assert len(many) == len(few)
