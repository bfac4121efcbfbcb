"""The sheets a teacher fills in now: for each class whose results they enter, the subjects
they enter there in the term under way (the last one begun)."""

from dataclasses import dataclass
from datetime import date

from app.attendance.models import Term
from app.auth.models import User
from app.children.models import SchoolClass
from app.results import services
from app.results.models import Subject
from app.results.subjects import classes_entered_by, subjects_entered_by


@dataclass(frozen=True)
class CurrentSheets:
    school_class: SchoolClass
    term: Term | None  # None before the school year's first term
    subjects: list[Subject]

    @property
    def marked(self) -> bool:
        return self.school_class.grade != services.UNMARKED_GRADE


def current_sheets(user: User, today: date) -> list[CurrentSheets]:
    found = []
    for school_class in classes_entered_by(user):
        terms = services.begun_terms(school_class, today)
        subjects = subjects_entered_by(user, school_class)
        found.append(CurrentSheets(school_class, terms[-1] if terms else None, subjects))
    return found
