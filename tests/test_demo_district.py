"""The fictional demo district as `flask demo load` leaves it, loaded once for these tests,
which only read it (tests/test_demo.py has those that load it themselves)."""

import re

import pytest
from sqlalchemy import func, select

from app.attendance.models import AttendanceMark, Term
from app.auth.models import Role, User
from app.children.access import reachable_child_ids
from app.children.models import Child, School, SchoolClass
from app.extensions import db
from app.results.models import TermResult
from tests.conftest import load_demo
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
