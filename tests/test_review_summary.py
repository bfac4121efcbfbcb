"""A child's review summary (issue 14, point 3): what happened since the last review, one page,
casework for the child's social worker and the district's committee only."""

import re
import uuid
from datetime import UTC, date, datetime

import pytest
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import select

from app.attendance.models import Status
from app.auth.models import Role
from app.casework.models import VisitAction
from app.casework.schedule import PlannedVisit, planned_visits
from app.children.background import ChildBackground
from app.core.audit import AuditEvent
from app.core.domains import EXTENSION, MAIN, Domain, ReviewSection
from app.core.security import RESTRICTED_HEADER
from app.extensions import db
from app.incidents.models import Incident, Involved, Kind, Place, Severity
from app.incidents.models import Status as IncidentStatus
from app.results.models import Subject, TermResult
from tests.casework_factories import PlacementFactory, VisitReportFactory
from tests.conftest import ROOT, count_queries
from tests.factories import AttendanceMarkFactory, ChildFactory, TermFactory, UserFactory
from tests.plans_helpers import make_world, post, visible
from tests.test_i18n import _english_sources, _visible_text


@pytest.fixture
def world():
    return make_world()


def summary_url(world) -> str:
    return f"/children/{world.child.id}/review"


def summary(client, auth, world, person=None) -> str:
    auth.log_in_as(person or world.committee)
    response = client.get(summary_url(world))
    assert response.status_code == 200
    return visible(response.get_data(as_text=True))


def incident(world, occurred_on: date, status=IncidentStatus.OPEN, kind=Kind.VERBAL) -> Incident:
    record = Incident(
        child_id=world.child.id,
        reported_by_id=world.teacher.id,
        occurred_on=occurred_on,
        place=Place.CLASSROOM,
        involved=[Involved.PEERS],
        what_happened=[kind],
        severity=Severity.MEDIUM,
        status=status,
    )
    db.session.add(record)
    return record


def subject(code="mathematics", name="Mathematics") -> Subject:
    record = Subject(
        code=code, grade_from=1, grade_to=11, name_en=name, name_kk=name, name_ru=name, name_ar=name
    )
    db.session.add(record)
    return record


def result(world, term, subject, mark) -> TermResult:
    record = TermResult(
        child_id=world.child.id,
        subject_id=subject.id,
        term_id=term.id,
        class_id=world.school_class.id,
        mark=mark,
        recorded_by_id=world.teacher.id,
        recorded_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    db.session.add(record)
    return record


# Without a review recorded, the summary covers three months: 18 August to 18 November 2026.


def test_without_a_review_the_summary_covers_the_last_three_months(client, auth, world):
    page = summary(client, auth, world)
    assert "From August 18, 2026 to November 18, 2026" in page
    assert "no review has been recorded" in page


def test_the_placement_part_shows_the_current_placement_its_caregivers_and_changes_since(
    client, auth, world
):
    worker = world.worker
    PlacementFactory(
        child_obj=world.child, worker=worker, starts_on=date(2026, 1, 5), ends_on=date(2026, 7, 31)
    )
    PlacementFactory(
        child_obj=world.child,
        worker=worker,
        kind="foster_family",
        starts_on=date(2026, 8, 1),
        ends_on=date(2026, 9, 30),
    )
    current = PlacementFactory(
        child_obj=world.child, worker=worker, kind="guardianship", starts_on=date(2026, 10, 1)
    )
    current.caregivers.append(_caregiver("Гүлнар Сейітова", "Әжесі"))
    db.session.commit()
    page = summary(client, auth, world)
    assert "Guardianship, since October 1, 2026 (current)" in page
    assert "Әжесі Гүлнар Сейітова" in page
    assert "Foster (patronat) family: August 1, 2026 to September 30, 2026" in page
    assert "January 5, 2026" not in page  # ended before the period


def _caregiver(name, relationship):
    from app.casework.models import PlacementCaregiver

    return PlacementCaregiver(name=name, relationship=relationship)


def visits_world(world):
    """A placement since 1 June with a monthly plan; visits on 1 July (on time), 25 August
    (late for 1 August), then none until 30 October: 25 September was missed."""
    placement = PlacementFactory(
        child_obj=world.child, worker=world.worker, starts_on=date(2026, 6, 1), monthly_months=6
    )
    reports = [
        VisitReportFactory(placement=placement, worker=world.worker, visited_on=day)
        for day in (date(2026, 7, 1), date(2026, 8, 25), date(2026, 10, 30))
    ]
    return placement, reports


def test_a_visit_not_made_before_the_next_falls_due_is_missed_and_a_late_one_is_done():
    visits = [(date(2026, 7, 1), None), (date(2026, 8, 25), None), (date(2026, 10, 30), None)]
    assert planned_visits(date(2026, 6, 1), 6, 3, visits, date(2026, 11, 18)) == [
        PlannedVisit(date(2026, 7, 1), date(2026, 7, 1)),
        PlannedVisit(date(2026, 8, 1), date(2026, 8, 25)),
        PlannedVisit(date(2026, 9, 25), None, missed=True),
        PlannedVisit(date(2026, 10, 25), date(2026, 10, 30)),
    ]
    # Due on 1 July, none since: overdue until the next falls due on 1 August, then missed.
    assert planned_visits(date(2026, 6, 1), 6, 3, [], date(2026, 7, 20)) == [
        PlannedVisit(date(2026, 7, 1), None)
    ]


def test_the_visits_part_shows_visits_done_and_missed_since_the_last_review(client, auth, world):
    visits_world(world)
    db.session.commit()
    page = summary(client, auth, world)
    assert "2 visit reports in the period; 1 planned visit missed." in page
    assert "Sep 25, 2026 Missed" in page
    assert "Oct 25, 2026 Oct 30, 2026 Done late" in page
    assert "August 25, 2026: Home visit" in page and "October 30, 2026: Home visit" in page
    assert "July 1, 2026" not in page and "Aug 1, 2026" not in page  # before the period


def test_the_actions_part_shows_actions_agreed_or_due_since_and_marks_the_overdue(
    client, auth, world
):
    _, (july, august, october) = visits_world(world)
    july.actions.append(VisitAction(what="Старое дело", who="школа", by_when=date(2026, 7, 15)))
    august.actions.append(VisitAction(what="Справка из поликлиники", by_when=date(2026, 9, 1)))
    october.actions.append(VisitAction(what="Встреча с психологом", by_when=date(2026, 12, 1)))
    db.session.commit()
    page = summary(client, auth, world)
    assert "1 action past its date." in page
    assert "Справка из поликлиники Sep 1, 2026 Overdue" in page
    assert "Встреча с психологом Dec 1, 2026 Oct 30, 2026" in page
    assert "Старое дело" not in page


def test_the_attendance_part_shows_the_rate_since_and_each_month_with_its_trend(
    client, auth, world
):
    marks = {
        date(2026, 8, 14): Status.ABSENT,  # before the period
        date(2026, 9, 7): Status.PRESENT,
        date(2026, 9, 8): Status.PRESENT,
        date(2026, 10, 5): Status.PRESENT,
        date(2026, 10, 6): Status.ABSENT,
        date(2026, 11, 16): Status.LATE,
        date(2026, 11, 17): Status.ABSENT,
    }
    for day, status in marks.items():
        AttendanceMarkFactory(
            child_obj=world.child, recorded_by=world.teacher, day=day, status=status
        )
    page = summary(client, auth, world)
    assert "Attendance rate in the period: 67% (6 school days recorded)" in page
    assert "September 2026 2 100%" in page
    assert "October 2026 2 50% lower than the month before" in page
    assert "November 2026 2 50% about the same as the month before" in page
    assert "August 2026" not in page


def test_the_results_part_shows_the_periods_terms_with_the_change_from_the_term_before(
    client, auth, world
):
    maths, art = subject(), subject("art", "Art")
    last_year = TermFactory(
        academic_year="2025-2026", number=4, starts_on=date(2026, 4, 1), ends_on=date(2026, 5, 25)
    )
    db.session.flush()
    result(world, last_year, maths, 4)
    result(world, world.terms[1], maths, 3)
    result(world, world.terms[2], maths, 5)
    result(world, last_year, art, 5)  # no result in the period: not shown
    db.session.commit()
    page = summary(client, auth, world)
    assert "Subject Term 1Term 2 Trend" in page  # the period's terms, no other
    assert "Mathematics 3 5 up 2" in page
    assert "Term 4" not in page and "Art" not in page


def test_the_plan_part_shows_the_goals_reviews_and_language_levels_of_the_period(
    client, auth, world
):
    auth.log_in_as(world.teacher)
    goal = {"goal": "Follows instructions", "target_term": "3", "status": "in_progress"}
    child = f"/children/{world.child.id}"
    assert post(client, auth, f"{child}/plan/language", goal | {"version": "0"}).status_code == 303
    review = {"review_id": str(uuid.uuid4()), "term": "2", "reviewed_on": "2026-11-16"}
    review["note"] = "Good progress."
    assert post(client, auth, f"{child}/plan/reviews", review).status_code == 303
    level = {"term": "1", "level": "2", "language": "kk", "version": "0"}
    assert post(client, auth, f"{child}/language/level", level).status_code == 303
    page = summary(client, auth, world)
    assert "Follows instructions In progress" in page
    assert "Education plan reviewed, term 2 Nov 16, 2026: Good progress." in page
    assert "Term 1 2 of 5" in page


def test_the_incidents_part_shows_those_since_and_those_still_open(client, auth, world):
    incident(world, date(2026, 10, 1), IncidentStatus.IN_PROGRESS)
    incident(world, date(2026, 6, 1), IncidentStatus.OPEN, Kind.PHYSICAL)
    incident(world, date(2026, 7, 10), IncidentStatus.RESOLVED, Kind.EXCLUSION)
    db.session.commit()
    page = summary(client, auth, world)
    assert "Oct 1, 2026 Insults or name-calling Significant In progress" in page
    assert "Jun 1, 2026before the period, not resolved Physical harm Significant Open" in page
    assert "Jul 10, 2026" not in page


def test_the_committee_and_the_social_worker_see_the_restricted_parts_and_the_background(
    client, auth, world
):
    db.session.add(
        ChildBackground(
            child_id=world.child.id,
            family_situation="Живёт с бабушкой",
            updated_by_id=world.worker.id,
        )
    )
    db.session.commit()
    for person in (world.committee, world.worker):
        auth.log_in_as(person)
        response = client.get(summary_url(world))
        page = visible(response.get_data(as_text=True))
        for heading in ("Background", "Placement and caregivers", "Follow-up visits", "Incidents"):
            assert heading in page
        assert "Живёт с бабушкой" in page
        assert response.headers[RESTRICTED_HEADER] == "1"


def test_a_copy_for_the_phone_holds_no_restricted_part(client, auth, world):
    auth.log_in_as(world.worker)
    response = client.get(summary_url(world), headers={"X-Qadam-Purpose": "offline-copy"})
    page = visible(response.get_data(as_text=True))
    assert "Attendance" in page
    for heading in ("Background", "Placement and caregivers", "Incidents", "Agreed actions"):
        assert heading not in page
    assert RESTRICTED_HEADER not in response.headers


@pytest.mark.parametrize(
    "who", ["teacher", "other_teacher", "admin", "other_worker", "other_committee"]
)
def test_teachers_administrators_and_others_get_404(client, auth, world, who):
    people = {
        "other_worker": lambda: UserFactory(role=Role.SOCIAL_WORKER),
        "other_committee": lambda: UserFactory(role=Role.COMMITTEE_MEMBER, district="Басқа ауданы"),
    }
    person = people[who]() if who in people else getattr(world, who)
    auth.log_in_as(person)
    response = client.get(summary_url(world))
    assert response.status_code == 404
    assert world.child.family_name not in response.get_data(as_text=True)


def test_every_opening_is_audited(client, auth, world):
    summary(client, auth, world)
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "view_review_summary")
    ).all()
    assert [(e.user_id, e.record_id) for e in events] == [(world.committee.id, str(world.child.id))]


def test_the_childs_page_links_to_the_summary_for_those_who_may_open_it(client, auth, world):
    for person, linked in ((world.committee, True), (world.worker, True), (world.teacher, False)):
        auth.log_in_as(person)
        page = client.get(f"/children/{world.child.id}").get_data(as_text=True)
        assert (summary_url(world) in page) is linked


def _fill(world, child, count: int) -> None:
    """`count` visits with an action each, incidents, marks and subjects' results."""
    placement = PlacementFactory(child_obj=child, worker=world.worker, starts_on=date(2026, 8, 3))
    for n in range(count):
        report = VisitReportFactory(
            placement=placement, worker=world.worker, visited_on=date(2026, 9, 1 + n)
        )
        report.actions.append(VisitAction(what=f"Дело {n}", by_when=date(2026, 12, 1)))
        db.session.add(
            Incident(
                child_id=child.id,
                reported_by_id=world.teacher.id,
                occurred_on=date(2026, 10, 1 + n),
                place=Place.CLASSROOM,
                involved=[Involved.PEERS],
                what_happened=[Kind.VERBAL],
                severity=Severity.MEDIUM,
            )
        )
        taught = subject(f"s-{child.id.hex[:8]}-{n}", f"Subject {n}")
        db.session.flush()
        for term in world.terms.values():
            db.session.add(
                TermResult(
                    child_id=child.id,
                    subject_id=taught.id,
                    term_id=term.id,
                    class_id=world.school_class.id,
                    mark=4,
                    recorded_by_id=world.teacher.id,
                    recorded_at=datetime(2026, 11, 1, tzinfo=UTC),
                )
            )
        AttendanceMarkFactory(
            child_obj=child, recorded_by=world.teacher, day=date(2026, 9 + n % 3, 1 + n)
        )
    db.session.add(
        ChildBackground(child_id=child.id, family_situation="…", updated_by_id=world.worker.id)
    )
    db.session.commit()


def test_the_summary_takes_the_same_statements_for_one_row_or_many(client, auth, world):
    many = ChildFactory(school_class=world.school_class)
    costs = []
    for child, count in ((world.child, 1), (many, 8)):
        _fill(world, child, count)
        auth.log_in_as(world.committee)
        with count_queries() as statements:
            assert client.get(f"/children/{child.id}/review").status_code == 200
        costs.append(len(statements))
    assert costs[0] == costs[1]


def test_the_summary_in_arabic_is_right_to_left_with_no_english(client, auth, world):
    visits_world(world)
    incident(world, date(2026, 10, 1))
    world.committee.preferred_language = "ar"
    db.session.commit()
    auth.log_in_as(world.committee)
    html = client.get(summary_url(world)).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    text = _visible_text(html)
    assert {source for source in _english_sources() if source in text} == set()


def test_the_page_links_the_stylesheet_whose_print_rules_hide_the_chrome(client, auth, world):
    auth.log_in_as(world.committee)
    assert "css/app.css" in client.get(summary_url(world)).get_data(as_text=True)
    with open(f"{ROOT}/static/css/app.css", encoding="utf-8") as sheet:
        css = sheet.read()
    assert "@page { size: A4; margin: 15mm; }" in css
    print_rules = css[css.index("@media print") :]
    hiding = re.search(r"([^{}]*)\{ display: none !important; \}", print_rules).group(1)
    for hidden in (".site-header nav", "[data-sync-slot]", ".site-footer", "button"):
        assert hidden in hiding


# The committee's domain, once there, gives the day of the last review and the last decision.


@pytest.fixture
def committee_hooks(app):
    decision = DictLoader(
        {"_decision.html": "<section><h2>Last decision</h2>{{ section.words }}</section>"}
    )
    loader = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader([decision, loader])
    domains = app.extensions[EXTENSION]
    hooks = Domain(
        name="committee_test",
        last_review=lambda child: date(2026, 10, 1),
        last_decision=ReviewSection(
            "_decision.html", lambda child, since: {"words": "Keep going"}, MAIN
        ),
    )
    app.extensions[EXTENSION] = (*domains, hooks)
    yield
    app.extensions[EXTENSION] = domains
    app.jinja_env.loader = loader


@pytest.mark.usefixtures("committee_hooks")
def test_the_summary_starts_at_the_last_review_and_ends_with_the_last_decision(client, auth, world):
    visits_world(world)
    db.session.commit()
    page = summary(client, auth, world)
    assert "Since the last review, on October 1, 2026, to November 18, 2026" in page
    assert "August 25, 2026" not in page and "October 30, 2026: Home visit" in page
    assert page.index("Agreed actions") < page.index("Last decisionKeep going")
