"""The sheets a teacher fills in now: for each class whose results they enter, the subjects
they enter there in the term under way (the last one begun)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.attendance.models import Term
from app.auth.models import User
from app.children.models import SchoolClass
from app.extensions import db
from app.results import services
from app.results.models import Subject
from app.results.subjects import all_subjects, classes_entered_by, entered_by


@dataclass(frozen=True)
class CurrentSheets:
    school_class: SchoolClass
    term: Term | None  # None before the school year's first term
    subjects: list[Subject]

    @property
    def marked(self) -> bool:
        return self.school_class.grade != services.UNMARKED_GRADE


def current_sheets(user: User, today: date) -> list[CurrentSheets]:
    """Four queries whatever the number of classes: the classes, what the user enters in
    them, the district's subjects and the terms begun of their school years."""
    classes = classes_entered_by(user)
    if not classes:
        return []
    own, taught = entered_by(user)
    subjects = all_subjects()
    years = {school_class.academic_year for school_class in classes}
    begun: dict[str, Term] = {}
    for term in db.session.scalars(
        select(Term)
        .where(Term.academic_year.in_(years), Term.starts_on <= today)
        .order_by(Term.number)
    ):
        begun[term.academic_year] = term  # the last one begun
    return [
        CurrentSheets(c, begun.get(c.academic_year), _entered(c, subjects, own, taught))
        for c in classes
    ]


def _entered(school_class: SchoolClass, subjects: list[Subject], own, taught) -> list[Subject]:
    """The subjects of the class's grade the user enters: all for its own teacher."""
    of_grade = [subject for subject in subjects if subject.taught_in(school_class.grade)]
    if school_class.id in own:
        return of_grade
    return [subject for subject in of_grade if (school_class.id, subject.id) in taught]
