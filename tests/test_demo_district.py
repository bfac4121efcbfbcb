"""The fictional demo district as `flask demo load` leaves it, loaded once for these tests,
which only read it (tests/test_demo.py has those that load it themselves)."""

import re
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.attendance.models import AttendanceMark, Term
from app.auth.models import Role, User
from app.children.access import reachable_child_ids
from app.children.models import Child, School, SchoolClass
from app.committee.models import (
    ChildReview,
    Decision,
    DecisionAction,
    Meeting,
)
from app.extensions import db
from app.plans.models import (
    Area,
    EducationPlan,
    LanguageLevel,
    PlanGoal,
    PlanReview,
    SupportSession,
)
from app.plans.overview import unchanged_level
from app.results.models import TermResult
from app.tasks.models import TaskStatus
from tests.conftest import TODAY, load_demo
from tests.tables import kept_world
from tests.test_demo import count


@pytest.fixture(scope="module")
def demo(app):
    """The command's result; the district stays in the database for the module."""
    yield from kept_world(app, lambda: load_demo(app.test_cli_runner()))


def test_demo_loads_a_district_with_a_user_of_every_role(demo):
    result = demo
    assert result.exit_code == 0, result.output
    assert count(School) == 3
    assert 18 <= count(SchoolClass) <= 22
    assert 380 <= count(Child) <= 420
    assert {u.role for u in db.session.scalars(select(User))} == set(Role)
    for email in ("teacher@qadam.example", "admin@qadam.example"):
        assert email in result.output
    assert "demo-password-2026" in result.output


def test_demo_social_worker_and_committee_member_each_follow_their_children(demo):
    social_worker = db.session.scalar(select(User).where(User.role == Role.SOCIAL_WORKER))
    committee = db.session.scalar(select(User).where(User.role == Role.COMMITTEE_MEMBER))
    assert (
        db.session.scalar(
            select(func.count()).select_from(reachable_child_ids(social_worker).subquery())
        )
        == 25
    )
    assert db.session.scalar(
        select(func.count()).select_from(reachable_child_ids(committee).subquery())
    ) == count(Child)


def test_demo_children_have_kazakh_names_and_some_need_arabic_support(demo):
    children = db.session.scalars(select(Child)).all()
    assert all(re.fullmatch(r"[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІіЁё]+", c.given_name) for c in children)
    supported = [c for c in children if c.needs_language_support]
    assert 0 < len(supported) < len(children) / 2
    assert all("ar" in c.home_language_codes for c in supported)


def test_demo_has_a_term_of_attendance_before_today(demo, frozen_today):
    days = db.session.execute(
        select(func.min(AttendanceMark.day), func.max(AttendanceMark.day))
    ).one()
    assert count(Term) == 4
    first_term = db.session.scalar(select(Term).where(Term.number == 1))
    assert days[0] == first_term.starts_on
    assert days[1] < frozen_today
    assert count(AttendanceMark) >= count(Child) * 30  # at least a term's worth of days


def test_demo_uses_no_labels_that_stigmatise(demo):
    words = " ".join(
        f"{c.given_name} {c.family_name} {c.patronymic}" for c in db.session.scalars(select(Child))
    ) + " ".join(s.name + s.district for s in db.session.scalars(select(School)))
    for label in ("returnee", "terror", "FTF", "возвращ", "террор", "оралған"):
        assert label.lower() not in words.lower()


def test_demo_has_results_for_every_class_for_the_term_over_most_of_them_good(demo):
    first_term = db.session.scalar(select(Term).where(Term.number == 1))
    results = db.session.execute(
        select(TermResult.mark, TermResult.comment, SchoolClass.grade, TermResult.class_id)
        .join(SchoolClass, SchoolClass.id == TermResult.class_id)
        .where(TermResult.term_id == first_term.id)
    ).all()
    assert {class_id for *_rest, class_id in results} == set(
        db.session.scalars(select(SchoolClass.id))
    )
    assert all(mark is None and comment for mark, comment, grade, _ in results if grade == 1)
    marks = [mark for mark, _comment, grade, _ in results if grade > 1]
    assert all(2 <= mark <= 5 for mark in marks)
    good = sum(mark >= 4 for mark in marks) / len(marks)
    assert 0.6 < good < 0.95  # most children do well, some struggle
    assert marks.count(2) > 0
    assert count(TermResult) == len(results)  # none yet for the term under way


def test_demo_children_learning_the_language_have_a_plan_levels_and_sessions(demo, frozen_today):
    supported = set(db.session.scalars(select(Child.id).where(Child.needs_language_support)))
    plans = db.session.scalars(select(EducationPlan)).all()
    assert {plan.child_id for plan in plans} == supported
    goals = db.session.execute(select(PlanGoal.plan_id, PlanGoal.area)).all()
    per_plan = Counter(plan_id for plan_id, _area in goals)
    assert all(2 <= per_plan[plan.id] <= 4 for plan in plans)
    assert {area for _plan, area in goals} == set(Area)
    # A review for the term over (the first), none for the term under way.
    first = db.session.scalar(select(Term).where(Term.number == 1))
    reviewed = db.session.scalars(select(PlanReview.term_id)).all()
    assert len(reviewed) == len(plans) and set(reviewed) == {first.id}
    sessions = db.session.scalars(select(SupportSession)).all()
    assert {s.child_id for s in sessions} == supported
    assert all(first.starts_on <= s.held_on < frozen_today for s in sessions)


def test_demo_language_levels_rise_believably_and_some_stay_a_while(demo):
    rows = db.session.execute(
        select(LanguageLevel.child_id, Term.number, LanguageLevel.level).join(
            Term, Term.id == LanguageLevel.term_id
        )
    ).all()
    by_child: dict = {}
    for child_id, number, level in rows:
        by_child.setdefault(child_id, {})[number] = level
    assert all(set(levels) == {1, 2} for levels in by_child.values())  # each term begun
    steps = [levels[2] - levels[1] for levels in by_child.values()]
    assert set(steps) <= {0, 1}  # never down, never a leap
    assert steps.count(1) > steps.count(0) > 0  # most gain a level; some stay (an alert)
    assert all(1 <= level <= 5 for levels in by_child.values() for level in levels.values())
    worker = db.session.scalar(select(User).where(User.email == "social.worker@qadam.example"))
    followed = set(db.session.scalars(reachable_child_ids(worker)))
    unchanged = {c for c, levels in by_child.items() if levels[1] == levels[2] < 5}
    alerted = {alert.child_id for alert in unchanged_level(worker, TODAY)}
    assert alerted == unchanged & followed and alerted  # the demo social worker has some


def test_demo_committee_met_twice_and_prepares_its_next_meeting(demo, frozen_today):
    meetings = db.session.scalars(select(Meeting).order_by(Meeting.held_on)).all()
    assert len(meetings) == 3
    *past, upcoming = meetings
    assert all(m.held_on < frozen_today < upcoming.held_on for m in past)
    for meeting in past:
        decided = {
            d.child_id
            for d in db.session.scalars(select(Decision).filter_by(meeting_id=meeting.id))
        }
        assert decided == {item.child_id for item in meeting.agenda} and len(decided) == 5
    assert (
        upcoming.agenda
        and not db.session.scalars(select(Decision).filter_by(meeting_id=upcoming.id)).all()
    )
    actions = db.session.scalars(select(DecisionAction)).all()
    done = [a for a in actions if a.status is TaskStatus.DONE]
    overdue = [a for a in actions if a.status is TaskStatus.OPEN and a.due_on < frozen_today]
    assert done and overdue  # some done, some past their date and still open
    assert len(db.session.scalars(select(ChildReview)).all()) == 10
