"""School results (issue 13, points 1, 2 and 10): subjects, who teaches them, the official
bands, the checks a term result must pass, and saving a class's sheet with its history."""

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from app.core.audit import AuditEvent
from app.core.errors import InvalidInput
from app.extensions import db
from app.results.models import Subject, TermResult, TermResultHistory
from app.results.services import check_sheet, entry, mark_for, save_sheet
from app.results.subjects import (
    DEFAULT_SUBJECTS,
    add_default_subjects,
    assign,
    subjects_of_grade,
    teaches,
)
from tests.conftest import TODAY
from tests.factories import ChildFactory, SchoolClassFactory, TermFactory, UserFactory

NOW = datetime(2026, 11, 18, 4, 0, tzinfo=UTC)


@pytest.fixture
def subjects() -> dict[str, Subject]:
    add_default_subjects()
    return {subject.code: subject for subject in db.session.scalars(select(Subject))}


@pytest.fixture
def term():
    return TermFactory()  # 3 November to 28 December 2026: under way on the suite's today


@pytest.fixture
def sheet(teacher, subjects, term):
    """A grade-5 class of three taught by `teacher`, and its mathematics sheet this term."""
    school_class = SchoolClassFactory(grade=5, teachers=[teacher])
    children = ChildFactory.create_batch(3, school_class=school_class)
    db.session.flush()
    return school_class, children, subjects["mathematics"], term


@pytest.mark.parametrize(
    ("percentage", "mark"),
    [(0, 2), (39, 2), (40, 3), (64, 3), (65, 4), (84, 4), (85, 5), (100, 5)],
)
def test_a_percentage_gives_the_mark_of_its_official_band(percentage, mark):
    assert mark_for(percentage) == mark


def test_the_mark_follows_the_percentage_and_may_be_given_alone():
    assert entry(5, 72, None, None).mark == 4
    assert entry(5, 90, 3, None).mark == 5  # the percentage decides
    given = entry(5, None, 3, "  Reads slowly  ")
    assert (given.percentage, given.mark, given.comment) == (None, 3, "Reads slowly")


@pytest.mark.parametrize(
    ("grade", "percentage", "mark", "message"),
    [
        (5, 101, None, "A percentage is a whole number from 0 to 100."),
        (5, -1, None, "A percentage is a whole number from 0 to 100."),
        (5, None, 1, "A term mark is a whole number from 2 to 5."),
        (5, None, 6, "A term mark is a whole number from 2 to 5."),
        (1, None, 5, "Grade 1 is not marked: write a comment instead."),
        (1, 90, None, "Grade 1 is not marked: write a comment instead."),
    ],
)
def test_a_result_out_of_bounds_is_refused_with_a_message(app, grade, percentage, mark, message):
    with app.test_request_context(), force_locale("en"):
        with pytest.raises(InvalidInput) as refused:
            entry(grade, percentage, mark, None)
        assert str(refused.value.message) == message
    assert refused.value.status == 422


def test_grade_1_takes_a_comment_only():
    assert entry(1, None, None, "Knows every letter").comment == "Knows every letter"


def test_the_refusal_is_in_the_teachers_language(app):
    with app.test_request_context(), force_locale("ru"):
        with pytest.raises(InvalidInput) as refused:
            entry(5, None, 7, None)
        assert str(refused.value.message) == "Оценка за четверть — целое число от 2 до 5."


def test_the_default_subjects_are_named_in_every_language_and_added_once(app):
    assert add_default_subjects() == len(DEFAULT_SUBJECTS)
    assert add_default_subjects() == 0  # twice adds nothing twice
    algebra = db.session.scalar(select(Subject).where(Subject.code == "algebra"))
    names = {}
    for language in ("en", "kk", "ru", "ar"):
        with app.test_request_context(), force_locale(language):
            names[language] = algebra.name
    assert names == {"en": "Algebra", "kk": "Алгебра", "ru": "Алгебра", "ar": "الجبر"}
    for subject in db.session.scalars(select(Subject)):
        assert all([subject.name_en, subject.name_kk, subject.name_ru, subject.name_ar])


def test_each_grade_has_its_own_subjects(subjects):
    first = {s.code for s in subjects_of_grade(1)}
    eighth = {s.code for s in subjects_of_grade(8)}
    assert {"literacy", "mathematics", "kazakh_language"} <= first
    assert not {"algebra", "physics", "literary_reading"} & first
    assert {"algebra", "geometry", "physics", "history_of_kazakhstan"} <= eighth
    assert not {"literacy", "mathematics"} & eighth
    assert len(first) == len(set(first))


def test_a_subject_teacher_enters_their_subject_in_their_class_and_the_class_teacher_all(
    teacher, subjects
):
    school_class = SchoolClassFactory(grade=7, teachers=[teacher])
    other_class = SchoolClassFactory(grade=7)
    physics_teacher = UserFactory()
    assign(school_class, subjects["physics"], physics_teacher)
    assign(school_class, subjects["physics"], physics_teacher)  # said twice, kept once
    physics, algebra = subjects["physics"].id, subjects["algebra"].id
    assert teaches(physics_teacher.id, school_class.id, physics)
    assert not teaches(physics_teacher.id, school_class.id, algebra)
    assert not teaches(physics_teacher.id, other_class.id, physics)
    assert teaches(teacher.id, school_class.id, physics)  # the class teacher: every subject
    assert teaches(teacher.id, school_class.id, algebra)
    assert not teaches(teacher.id, other_class.id, algebra)


def test_a_sheet_for_a_subject_not_taught_in_the_grade_or_a_term_not_begun_is_refused(
    app, subjects, term
):
    fifth = SchoolClassFactory(grade=5)
    later = TermFactory(number=3, starts_on=date(2027, 1, 8), ends_on=date(2027, 3, 19))
    with app.test_request_context(), force_locale("en"):
        check_sheet(fifth, subjects["mathematics"], term, TODAY)  # allowed
        with pytest.raises(InvalidInput) as refused:
            check_sheet(fifth, subjects["algebra"], term, TODAY)
        assert str(refused.value.message) == "This subject is not taught in this grade."
        with pytest.raises(InvalidInput) as refused:
            check_sheet(fifth, subjects["mathematics"], later, TODAY)
        assert str(refused.value.message) == "This term has not begun yet."


def stored() -> dict:
    return {
        r.child_id: (r.percentage, r.mark, r.comment, r.version)
        for r in db.session.scalars(select(TermResult))
    }


def test_a_sheet_is_saved_with_the_marks_of_the_bands(teacher, sheet):
    school_class, children, maths, term = sheet
    entries = {
        children[0].id: entry(5, 91, None, None),
        children[1].id: entry(5, None, 3, "Needs help with fractions"),
        children[2].id: entry(5, None, None, None),  # left empty: nothing stored
    }
    saved = save_sheet(teacher, school_class, maths, term, entries, NOW)
    db.session.commit()
    assert saved.changed == 2 and saved.conflicts == []
    assert stored() == {
        children[0].id: (91, 5, None, 1),
        children[1].id: (None, 3, "Needs help with fractions", 1),
    }
    audited = db.session.scalars(
        select(AuditEvent.record_id).where(AuditEvent.action == "results_write")
    )
    assert sorted(audited) == sorted(str(c.id) for c in children[:2])


def test_a_correction_keeps_the_earlier_value_in_the_history(teacher, sheet):
    school_class, children, maths, term = sheet
    first = {children[0].id: entry(5, 60, None, None)}
    save_sheet(teacher, school_class, maths, term, first, NOW)
    db.session.commit()
    corrected = {children[0].id: entry(5, 66, None, None, base_version=1)}
    assert save_sheet(teacher, school_class, maths, term, corrected, NOW).changed == 1
    db.session.commit()
    assert stored() == {children[0].id: (66, 4, None, 2)}
    [earlier] = db.session.scalars(select(TermResultHistory))
    assert (earlier.percentage, earlier.mark, earlier.version) == (60, 3, 1)
    assert earlier.replaced_by_id == teacher.id
    # The same values again change nothing and keep no history.
    again = {children[0].id: entry(5, 66, None, None, base_version=2)}
    assert save_sheet(teacher, school_class, maths, term, again, NOW).changed == 0


def test_a_result_changed_since_the_sheet_was_opened_is_a_conflict_not_overwritten(teacher, sheet):
    school_class, children, maths, term = sheet
    save_sheet(teacher, school_class, maths, term, {children[0].id: entry(5, 70, None, None)}, NOW)
    db.session.commit()
    colleague = UserFactory()
    stale = {
        children[0].id: entry(5, 40, None, None, base_version=0),  # opened before the first
        children[1].id: entry(5, 95, None, None),
    }
    saved = save_sheet(colleague, school_class, maths, term, stale, NOW)
    db.session.commit()
    assert [c.child.id for c in saved.conflicts] == [children[0].id]
    assert saved.changed == 0
    assert stored() == {children[0].id: (70, 4, None, 1)}  # nothing of the sheet was written


def test_a_child_not_in_the_class_is_refused_and_nothing_is_written(app, teacher, sheet):
    school_class, children, maths, term = sheet
    stranger = ChildFactory()
    entries = {children[0].id: entry(5, 70, None, None), stranger.id: entry(5, 80, None, None)}
    with app.test_request_context(), force_locale("en"):
        with pytest.raises(InvalidInput) as refused:
            save_sheet(teacher, school_class, maths, term, entries, NOW)
        assert str(refused.value.message) == "A child on this sheet is not in this class."
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(TermResult)) == 0


@pytest.mark.parametrize(
    "values",
    [{"percentage": 101}, {"mark": 1}, {"mark": 6}, {}],
    ids=["percentage", "mark-low", "mark-high", "nothing"],
)
def test_the_database_refuses_a_result_out_of_bounds(teacher, sheet, values):
    school_class, children, maths, term = sheet
    row = {
        "id": children[0].id,  # any UUID
        "child_id": children[0].id,
        "subject_id": maths.id,
        "term_id": term.id,
        "class_id": school_class.id,
        "recorded_by_id": teacher.id,
        "recorded_at": NOW,
        "received_at": NOW,
        "version": 1,
        **values,
    }
    with pytest.raises(IntegrityError):
        db.session.execute(insert(TermResult).values(row))
