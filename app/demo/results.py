"""The demo district's school results: the usual subjects, and a term result for every child
in every subject of their grade for each term already over. Most children do well; a few
struggle; those learning the language of instruction start lower and catch up."""

import random
import uuid
from datetime import UTC, date, datetime, time

from sqlalchemy import insert

from app.attendance.models import Term
from app.children.models import Child, SchoolClass
from app.extensions import db
from app.results.models import TermResult
from app.results.services import UNMARKED_GRADE, mark_for
from app.results.subjects import add_default_subjects, subjects_of_grade

# Grade 1 takes a comment only: what a class teacher writes at the end of a term.
FIRST_GRADE_COMMENTS = (
    "Әріптерді жақсы таниды.",
    "Оқуға қызығушылық танытады.",
    "Санауды сенімді меңгерді.",
    "Сабақта белсенді, сұрақ қояды.",
)
STRUGGLING = 0.08  # children for whom school is hard this year
CATCH_UP = 12  # percentage points a child learning the language gains each term


def add_results(
    children: list[Child],
    classes: list[SchoolClass],
    teacher_of: dict[uuid.UUID, uuid.UUID],
    terms: list[Term],
    rng: random.Random,
    today: date,
) -> int:
    """Write the results and return how many; flushes only."""
    add_default_subjects()
    over = [term for term in terms if term.ends_on < today]
    grade_of = {c.id: c.grade for c in classes}
    subjects = {grade: subjects_of_grade(grade) for grade in set(grade_of.values())}
    rows = []
    for child in children:
        grade = grade_of[child.class_id]
        level = _level(child, rng)
        for number, term in enumerate(over):
            at = datetime.combine(term.ends_on, time(10, rng.randint(0, 59)), UTC)
            for subject in subjects[grade]:
                row = _result(child, grade, subject.id, term, level, number, rng)
                row |= {"recorded_by_id": teacher_of[child.class_id]}
                row |= {"recorded_at": at, "received_at": at, "version": 1}
                rows.append(row)
    for chunk in range(0, len(rows), 5000):
        db.session.execute(insert(TermResult), rows[chunk : chunk + 5000])
    return len(rows)


def _level(child: Child, rng: random.Random) -> int:
    """The child's usual percentage this year."""
    if rng.random() < STRUGGLING:
        return rng.randint(30, 50)
    if child.needs_language_support:
        return rng.randint(45, 65)
    return rng.randint(70, 95)


def _result(child, grade, subject_id, term, level, number, rng) -> dict:
    row = {
        "id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "child_id": child.id,
        "subject_id": subject_id,
        "term_id": term.id,
        "class_id": child.class_id,
        "percentage": None,
        "mark": None,
        "comment": None,
    }
    if grade == UNMARKED_GRADE:
        return row | {"comment": rng.choice(FIRST_GRADE_COMMENTS)}
    gain = CATCH_UP * number if child.needs_language_support else 0
    percentage = max(0, min(100, level + gain + rng.randint(-8, 8)))
    return row | {"percentage": percentage, "mark": mark_for(percentage)}
