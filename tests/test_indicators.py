"""The district's indicators (issue 15, points 1, 7 and 8): exact figures on a small known
district, beside the previous period; one school; another district never counted; the same
statements for 3 children as for 30; bad periods and schools refused in the reader's language."""

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select

from app.attendance.models import Status
from app.auth.models import Role
from app.casework.models import PlacementKind
from app.children.models import caseload
from app.committee.decisions import ActionInput
from app.committee.models import Assignee, DecisionAction
from app.extensions import db
from app.incidents.models import EventKind, Incident, IncidentEvent, Involved, Kind, Place, Severity
from app.incidents.models import Status as IncidentStatus
from app.indicators import queries
from app.indicators.period import Period
from app.results.models import Subject, TermResult
from app.tasks.models import Task, TaskStatus
from tests.casework_factories import PlacementFactory, VisitReportFactory
from tests.committee_helpers import (
    OTHER_DISTRICT,
    decide,
    district_class,
    followed_child,
    meeting_on,
    member,
    worker,
)
from tests.conftest import count_queries
from tests.factories import (
    AttendanceMarkFactory,
    ChildFactory,
    SchoolClassFactory,
    TermFactory,
    UserFactory,
)

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))  # the previous: 2 to 31 October
OCTOBER = NOVEMBER.previous()
PERIOD = {"period": "custom", "from": "2026-11-01", "to": "2026-11-30"}


def test_the_previous_period_has_the_same_length_and_ends_the_day_before():
    assert Period(date(2026, 10, 2), date(2026, 10, 31)) == OCTOBER


def _marks(child, by, statuses, month: int) -> None:
    for day, status in enumerate(statuses, start=2):
        AttendanceMarkFactory(
            child_obj=child, recorded_by=by, day=date(2026, month, day), status=status
        )


def _results(child, subjects, term, by, marks) -> None:
    for subject, mark in zip(subjects, marks, strict=True):
        db.session.add(
            TermResult(
                child_id=child.id, subject_id=subject.id, term_id=term.id, class_id=child.class_id,
                mark=mark, recorded_by_id=by.id, recorded_at=datetime(2026, 11, 1, tzinfo=UTC),
            )
        )  # fmt: skip


def _incident(child, by, occurred_on, severity, status, resolved_at=None) -> None:
    incident = Incident(
        child_id=child.id, reported_by_id=by.id, occurred_on=occurred_on,
        place=Place.CLASSROOM, involved=[Involved.PEERS], what_happened=[Kind.VERBAL],
        severity=severity, status=status,
    )  # fmt: skip
    db.session.add(incident)
    db.session.flush()
    if resolved_at is not None:
        db.session.add(
            IncidentEvent(
                incident_id=incident.id, at=resolved_at, by_id=by.id,
                kind=EventKind.STATUS, status_to=IncidentStatus.RESOLVED,
            )
        )  # fmt: skip


def _decision(committee, child, held_on: date, dues: list[date], done: int = 0) -> None:
    meeting = meeting_on(held_on, committee, [child], district=committee.district)
    actions = [
        ActionInput(f"Action {n}", Assignee.SOCIAL_WORKER, due_on=date(2026, 12, 20))
        for n in range(len(dues))
    ]
    decision = decide(committee, meeting, child, date(2027, 3, 1), actions=actions)
    decision.recorded_at = datetime.combine(held_on, datetime.min.time(), UTC)
    rows = db.session.scalars(
        select(DecisionAction).where(DecisionAction.decision_id == decision.id)
    ).all()
    for n, (action, due_on) in enumerate(zip(rows, dues, strict=True)):
        action.due_on = due_on
        if n < done:
            db.session.get(Task, action.task_id).status = TaskStatus.DONE
    db.session.commit()


@pytest.fixture
def district():
    """Four children of the district in two schools, and one of another district who has a
    little of everything (never counted)."""
    committee, sw = member(), worker()
    class_a, class_b = district_class(), district_class()
    c1 = followed_child(class_a, sw)  # with relatives since March
    c2 = followed_child(class_a, sw, None)
    c2.created_at = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)  # entered and placed: new in November
    PlacementFactory(
        child_obj=c2, worker=sw, kind=PlacementKind.MOTHER, starts_on=date(2026, 11, 10)
    )
    c3 = followed_child(class_b, sw, None)
    c3.case_closed_on = date(2026, 11, 20)  # follow-up ended in November
    PlacementFactory(child_obj=c3, worker=sw, kind=PlacementKind.FOSTER_FAMILY,
                     starts_on=date(2026, 3, 2), ends_on=date(2026, 10, 15))  # fmt: skip
    PlacementFactory(child_obj=c3, worker=sw, kind=PlacementKind.GUARDIANSHIP,
                     starts_on=date(2026, 10, 15))  # fmt: skip
    c4 = ChildFactory(school_class=class_b)  # not followed
    other = followed_child(district_class(OTHER_DISTRICT), sw)
    P, A, L, E = Status.PRESENT, Status.ABSENT, Status.LATE, Status.EXCUSED
    _marks(c1, sw, [P] * 9 + [A], 11)
    _marks(c2, sw, [P, P, P, L, A], 11)  # 80 %: low
    _marks(c4, sw, [A] * 4, 11)  # too few marks to say
    _marks(c1, sw, [P, P, P, P, E], 10)  # 80 %: low
    _marks(other, sw, [A] * 10, 11)
    q1 = TermFactory(number=1, starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 30))
    q2 = TermFactory()  # 3 November to 28 December
    subjects = [
        Subject(
            code=code,
            grade_from=1,
            grade_to=11,
            name_en=code,
            name_kk=code,
            name_ru=code,
            name_ar=code,
        )
        for code in ("maths", "reading")
    ]
    db.session.add_all(subjects)
    db.session.flush()
    _results(c1, subjects, q2, sw, [5, 5])
    _results(c2, subjects, q2, sw, [5, 4])
    _results(c3, subjects, q2, sw, [2, 5])
    _results(other, subjects, q2, sw, [2, 2])
    _results(c1, subjects, q1, sw, [4, 4])
    relatives = db.session.scalars(select_placement(c1)).one()
    for day in (date(2026, 11, 5), date(2026, 11, 12), date(2026, 10, 5)):
        VisitReportFactory(placement=relatives, worker=sw, visited_on=day)
    VisitReportFactory(placement=db.session.scalars(select_placement(c2)).one(), worker=sw,
                       visited_on=date(2026, 11, 15))  # fmt: skip
    VisitReportFactory(placement=db.session.scalars(select_placement(other)).one(), worker=sw,
                       visited_on=date(2026, 11, 15))  # fmt: skip
    at = lambda d: datetime(2026, 11, d, 10, 0, tzinfo=UTC)  # noqa: E731
    _incident(c1, sw, date(2026, 11, 2), Severity.LOW, IncidentStatus.RESOLVED, at(6))  # 4 days
    _incident(c2, sw, date(2026, 11, 5), Severity.SERIOUS, IncidentStatus.RESOLVED, at(15))  # 10
    _incident(c1, sw, date(2026, 11, 10), Severity.MEDIUM, IncidentStatus.OPEN)
    _incident(c3, sw, date(2026, 11, 12), Severity.LOW, IncidentStatus.RESOLVED, at(13))  # 1
    _incident(c1, sw, date(2026, 10, 20), Severity.MEDIUM, IncidentStatus.IN_PROGRESS)
    _incident(other, sw, date(2026, 11, 3), Severity.SERIOUS, IncidentStatus.OPEN)
    db.session.commit()
    _decision(
        committee,
        c1,
        date(2026, 11, 10),
        [date(2026, 11, 15), date(2026, 11, 16), date(2026, 12, 1)],
        done=1,
    )
    _decision(committee, c2, date(2026, 11, 11), [])
    _decision(committee, c1, date(2026, 10, 10), [date(2026, 10, 20)])
    _decision(member(OTHER_DISTRICT), other, date(2026, 11, 10), [date(2026, 11, 1)])
    return committee, class_a.school


def select_placement(child):
    from app.casework.models import Placement

    return select(Placement).where(Placement.child_id == child.id, Placement.ends_on.is_(None))


def _both(figure, committee, school=None, *args):
    children = queries.scope(committee, school.id if school else None)
    return [figure(children, period, *args) for period in (NOVEMBER, OCTOBER)]


def test_children_followed_at_the_end_new_and_ended(district):
    committee, _ = district
    assert _both(queries.children_followed, committee) == [
        {"at_end": 2, "new": 1, "ended": 1},
        {"at_end": 2, "new": 0, "ended": 0},  # the child closed in November was still followed
    ]


def test_a_child_is_new_when_their_follow_up_began_as_the_review_cycle_counts_it():
    """Their first placement, not the day they were entered (January here)."""
    committee, sw = member(), worker()
    followed_child(district_class(), sw, date(2026, 11, 20))
    children = queries.scope(committee, None)
    assert queries.children_followed(children, NOVEMBER) == {"at_end": 1, "new": 1, "ended": 0}
    assert queries.children_followed(children, OCTOBER) == {"at_end": 0, "new": 0, "ended": 0}


def test_attendance_rate_and_children_below_85_percent(district):
    committee, _ = district
    assert _both(queries.attendance, committee) == [
        {"rate": 13 / 19, "marks": 19, "low": 1, "children": 3},
        {"rate": 4 / 5, "marks": 5, "low": 1, "children": 1},
    ]


def test_results_share_of_all_fives_fours_and_fives_any_two_by_term(district):
    committee, _ = district
    november, october = _both(queries.results, committee)
    assert november == [
        {
            "year": "2026-2027",
            "number": 2,
            "children": 3,
            "all_fives": 1,
            "fours_and_fives": 2,
            "any_two": 1,
        }
    ]
    assert october == [
        {
            "year": "2026-2027",
            "number": 1,
            "children": 1,
            "all_fives": 0,
            "fours_and_fives": 1,
            "any_two": 0,
        }
    ]


def test_placements_by_kind_at_the_end_and_changes(district):
    committee, _ = district
    november, october = _both(queries.placements, committee)
    kinds = dict.fromkeys(PlacementKind, 0)
    assert november == {
        "by_kind": kinds
        | {PlacementKind.RELATIVES: 1, PlacementKind.MOTHER: 1, PlacementKind.GUARDIANSHIP: 1},
        "begun": 1,
        "ended": 0,
    }
    assert october == {
        "by_kind": kinds | {PlacementKind.RELATIVES: 1, PlacementKind.GUARDIANSHIP: 1},
        "begun": 1,
        "ended": 1,
    }


def test_visits_done_and_overdue_today(district):
    committee, _ = district
    assert _both(queries.visits_done, committee) == [3, 1]
    children = queries.scope(committee, None)
    # The guardianship from 15 October has had no visit: due a month on, overdue on the 18th.
    assert queries.visits_overdue(children, date(2026, 11, 18)) == {"placements": 3, "overdue": 1}


def test_incidents_by_severity_and_status_with_median_days_to_resolution(district):
    committee, _ = district
    november, october = _both(queries.incidents, committee)
    assert november["total"] == 4
    assert november["by_severity"] == {Severity.LOW: 2, Severity.MEDIUM: 1, Severity.SERIOUS: 1}
    assert november["by_status"] == {
        IncidentStatus.OPEN: 1, IncidentStatus.IN_PROGRESS: 0, IncidentStatus.RESOLVED: 3
    }  # fmt: skip
    assert november["median_days"] == 4  # of 4, 10 and 1 days
    assert october["total"] == 1 and october["median_days"] is None


def test_decisions_and_their_actions_done_and_overdue(district):
    committee, _ = district
    assert _both(queries.decisions, committee, None, date(2026, 11, 18)) == [
        {"decisions": 2, "actions": 3, "done": 1, "overdue": 1},
        {"decisions": 1, "actions": 1, "done": 0, "overdue": 1},
    ]


def test_one_school_counts_only_its_children(district):
    committee, school_a = district
    assert _both(queries.children_followed, committee, school_a)[0] == {
        "at_end": 2,
        "new": 1,
        "ended": 0,
    }
    assert _both(queries.attendance, committee, school_a)[0] == {
        "rate": 13 / 15,
        "marks": 15,
        "low": 1,
        "children": 2,
    }
    assert _both(queries.incidents, committee, school_a)[0]["total"] == 3


def test_the_page_shows_each_figure_beside_the_previous_period(client, auth, district):
    committee, school_a = district
    auth.log_in_as(committee)
    html = client.get("/indicators", query_string=PERIOD).get_data(as_text=True)
    assert "<caption>Children followed</caption>" in html
    assert '<th scope="row">Attendance rate</th>' in html
    assert "68.4%" in html and "80%" in html and "-11.6 pp" in html  # 13/19 beside 4/5
    assert "Median days to resolution" in html and "no data" in html
    page = client.get("/indicators", query_string=PERIOD | {"school": str(school_a.id)})
    assert page.status_code == 200 and "86.7%" in page.get_data(as_text=True)  # 13/15


def test_the_page_speaks_the_readers_language(client, auth, district):
    committee, _ = district
    committee.preferred_language = "ru"
    db.session.commit()
    auth.log_in_as(committee)
    html = client.get("/indicators", query_string=PERIOD).get_data(as_text=True)
    assert "68,4" in html and "Посещаемость" in html


def test_a_year_with_no_data_shows_zeros_and_no_data(client, auth):
    committee = member()
    auth.log_in_as(committee)
    response = client.get(
        "/indicators", query_string={"period": "custom", "from": "2031-09-01", "to": "2032-05-31"}
    )
    assert response.status_code == 200
    assert "no data" in response.get_data(as_text=True)
    assert client.get("/indicators").status_code == 200  # this term
    assert client.get("/indicators?period=year").status_code == 200


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ({"period": "custom", "from": "2026-11-30", "to": "2026-11-01"}, 422, "Период должен"),
        ({"period": "custom", "from": "2026-13-01", "to": "2026-11-30"}, 422, "ГГГГ-ММ-ДД"),
        ({"period": "custom", "from": "0001-01-01", "to": "2026-11-30"}, 422, "ГГГГ-ММ-ДД"),
        ({"period": "decade"}, 400, "Выберите"),
        ({"school": str(uuid.uuid4())}, 404, "не относится"),
        ({"school": "not-an-id"}, 404, "не относится"),
    ],
)
def test_bad_periods_and_schools_are_refused_in_the_readers_language(
    client, auth, query, status, words
):
    auth.log_in_as(member(lang="ru"))
    response = client.get("/indicators", query_string=query)
    assert response.status_code == status
    assert words in response.get_data(as_text=True)


def test_another_districts_school_is_refused(client, auth):
    other_school = district_class(OTHER_DISTRICT).school
    auth.log_in_as(member())
    assert (
        client.get("/indicators", query_string={"school": str(other_school.id)}).status_code == 404
    )


@pytest.mark.parametrize("role", [Role.TEACHER, Role.SOCIAL_WORKER, Role.ADMINISTRATOR])
def test_no_one_but_the_committee_gets_district_figures(client, auth, role):
    auth.log_in_as(UserFactory(role=role, district="Сынақ ауданы"))
    assert client.get("/indicators").status_code == 404


def test_a_member_with_no_district_gets_no_figures(client, auth):
    auth.log_in_as(member(district=""))
    assert client.get("/indicators").status_code == 404


def _district_of(size: int, committee) -> None:
    sw = worker()
    school_class = SchoolClassFactory(school=district_class().school)
    for _ in range(size):
        child = ChildFactory(school_class=school_class)
        db.session.execute(insert(caseload).values(user_id=sw.id, child_id=child.id))
        PlacementFactory(child_obj=child, worker=sw)
        AttendanceMarkFactory(child_obj=child, recorded_by=sw, day=date(2026, 11, 3))
    db.session.commit()


def test_the_page_costs_the_same_statements_for_3_children_as_for_30(client, auth):
    committee = member()
    auth.log_in_as(committee)
    _district_of(3, committee)
    with count_queries() as few:
        assert client.get("/indicators", query_string=PERIOD).status_code == 200
    _district_of(27, committee)
    with count_queries() as many:
        assert client.get("/indicators", query_string=PERIOD).status_code == 200
    assert len(few) == len(many)
