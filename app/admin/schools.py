"""Schools and classes: create, rename, archive, and the year-end rollover. Writes flush only."""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth import access
from app.auth.models import User
from app.children import enrolment
from app.children.models import Child, School, SchoolClass
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.models import utcnow
from app.extensions import db

LAST_GRADE = 11
ACADEMIC_YEAR = re.compile(r"([0-9]{4})-([0-9]{4})")


def schools(include_archived: bool = True) -> list[School]:
    statement = select(School).order_by(School.archived_at.is_not(None), School.name)
    if not include_archived:
        statement = statement.where(School.archived_at.is_(None))
    return list(db.session.scalars(statement))


def create_school(name: str, district: str, region: str) -> School:
    school = School(name=name.strip(), district=district.strip(), region=region.strip())
    db.session.add(school)
    db.session.flush()
    return school


def archive_school(school: School) -> None:
    """Archive a school and its classes; refused while children are enrolled there."""
    active = [c for c in school.classes if c.archived_at is None]
    if any(enrolment.class_sizes([c.id for c in active]).values()):
        raise InvalidInput(_l("Children are still enrolled in this school. Move them first."))
    now = utcnow()
    school.archived_at = now
    for school_class in active:
        school_class.archived_at = now
    db.session.flush()


def create_class(
    school: School, grade: int, letter: str, language: str, academic_year: str
) -> SchoolClass:
    if school.archived_at is not None:
        raise InvalidInput(_l("This school is archived."))
    _check_unique(school.id, academic_year, grade, letter.strip())
    school_class = SchoolClass(
        school=school,
        grade=grade,
        letter=letter.strip(),
        language_of_instruction=language,
        academic_year=academic_year,
    )
    db.session.add(school_class)
    db.session.flush()
    return school_class


def update_class(school_class: SchoolClass, grade: int, letter: str, language: str) -> None:
    if (grade, letter.strip()) != (school_class.grade, school_class.letter):
        _check_unique(school_class.school_id, school_class.academic_year, grade, letter.strip())
    school_class.grade, school_class.letter = grade, letter.strip()
    school_class.language_of_instruction = language
    db.session.flush()


def archive_class(school_class: SchoolClass) -> None:
    if enrolment.class_sizes([school_class.id]).get(school_class.id):
        raise InvalidInput(_l("Children are still enrolled in this class. Move them first."))
    school_class.archived_at = utcnow()
    db.session.flush()


def _check_unique(school_id: uuid.UUID, year: str, grade: int, letter: str) -> None:
    exists = db.session.scalar(
        select(SchoolClass.id).where(
            SchoolClass.school_id == school_id,
            SchoolClass.academic_year == year,
            SchoolClass.grade == grade,
            SchoolClass.letter == letter,
        )
    )
    if exists:
        raise InvalidInput(_l("This school already has that class in that academic year."))


def next_year(academic_year: str) -> str:
    """ "2026-2027" → "2027-2028"; anything else is refused (a person typed it)."""
    years = ACADEMIC_YEAR.fullmatch(academic_year)
    if years is None or int(years[2]) != int(years[1]) + 1:
        raise InvalidInput(_l("Write the academic year like 2026-2027."))
    start = int(years[1]) + 1
    return f"{start}-{start + 1}"


@dataclass
class Step:
    """What the rollover does to one class."""

    school_class: SchoolClass
    children: list[Child]
    target_grade: int | None  # None: the class finishes school
    existing_target: SchoolClass | None = None


@dataclass
class Rollover:
    from_year: str
    to_year: str
    steps: list[Step] = field(default_factory=list)

    @property
    def moving(self) -> int:
        return sum(len(s.children) for s in self.steps if s.target_grade is not None)

    @property
    def leaving(self) -> int:
        return sum(len(s.children) for s in self.steps if s.target_grade is None)


def plan_rollover(from_year: str) -> Rollover:
    """The preview: every current class of `from_year`, its children, and where they go."""
    to_year = next_year(from_year)
    classes = list(
        db.session.scalars(
            select(SchoolClass)
            .where(SchoolClass.academic_year == from_year, SchoolClass.archived_at.is_(None))
            .options(selectinload(SchoolClass.children), selectinload(SchoolClass.school))
            .join(School)
            .order_by(School.name, SchoolClass.grade, SchoolClass.letter)
        )
    )
    targets = {
        (c.school_id, c.grade, c.letter): c
        for c in db.session.scalars(select(SchoolClass).where(SchoolClass.academic_year == to_year))
    }
    plan = Rollover(from_year, to_year)
    for school_class in classes:
        grade = school_class.grade + 1 if school_class.grade < LAST_GRADE else None
        existing = targets.get((school_class.school_id, grade, school_class.letter))
        plan.steps.append(Step(school_class, list(school_class.children), grade, existing))
    return plan


def apply_rollover(plan: Rollover, actor: User) -> None:
    """Move every class up a grade (the last grade leaves) in one unit of work.

    Teachers follow their class; each new assignment is recorded as made by `actor`.
    """
    if not plan.steps:
        raise InvalidInput(_l("There are no current classes in %(year)s.", year=plan.from_year))
    first_day = date(int(plan.to_year[:4]), 9, 1)
    for step in plan.steps:
        old = step.school_class
        if step.target_grade is None:
            for child in step.children:
                enrolment.leave(child, first_day, reason=enrolment.GRADUATED)
                audit("leave", "child", child.id)
        else:
            new = step.existing_target or SchoolClass(
                school_id=old.school_id,
                grade=step.target_grade,
                letter=old.letter,
                language_of_instruction=old.language_of_instruction,
                academic_year=plan.to_year,
            )
            db.session.add(new)
            db.session.flush()
            for teacher in old.teachers:
                if teacher not in new.teachers:
                    new.teachers.append(teacher)
                    access.record(actor, teacher, "class_added", str(new.id))
            for child in step.children:
                enrolment.enrol(child, new, first_day, reason=enrolment.ROLLOVER)
                audit("rollover", "child", child.id)
        old.archived_at = utcnow()
    db.session.flush()
