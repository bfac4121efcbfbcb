"""Term results: the official bands, the checks a result must pass, and saving a class's
sheet for one subject and term in one unit of work."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _nl
from sqlalchemy import select

from app.attendance.models import Term
from app.auth.models import User
from app.children.models import Child, SchoolClass
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.models import utcnow
from app.extensions import db
from app.results.models import Subject, TermResult, TermResultHistory

MAX_COMMENT = 300
# Kazakhstan's conversion of a summative percentage into the term mark (grades 2–11).
BANDS = ((85, 5), (65, 4), (40, 3), (0, 2))
UNMARKED_GRADE = 1  # a comment only


def mark_for(percentage: int) -> int:
    """The term mark a summative percentage gives: 85–100 → 5, 65–84 → 4, 40–64 → 3, else 2."""
    return next(mark for lowest, mark in BANDS if percentage >= lowest)


@dataclass(frozen=True)
class Entry:
    """What the teacher entered for one child, and the result version it was based on."""

    percentage: int | None
    mark: int | None
    comment: str | None
    base_version: int  # 0: there was no result yet

    @property
    def empty(self) -> bool:
        return self.percentage is None and self.mark is None and self.comment is None


def entry(
    grade: int,
    percentage: int | None,
    mark: int | None,
    comment: str | None,
    base_version: int = 0,
) -> Entry:
    """A checked entry: the mark follows from the percentage unless given alone; grade 1
    takes a comment only."""
    comment = (comment or "").strip() or None
    if percentage is not None and not 0 <= percentage <= 100:
        raise InvalidInput(_l("A percentage is a whole number from 0 to 100."))
    if mark is not None and not 2 <= mark <= 5:
        raise InvalidInput(_l("A term mark is a whole number from 2 to 5."))
    if grade == UNMARKED_GRADE and (percentage is not None or mark is not None):
        raise InvalidInput(_l("Grade 1 is not marked: write a comment instead."))
    if comment is not None and len(comment) > MAX_COMMENT:
        raise InvalidInput(
            _nl(
                "A comment is at most %(num)d character.",
                "A comment is at most %(num)d characters.",
                MAX_COMMENT,
            )
        )
    if percentage is not None:
        mark = mark_for(percentage)
    return Entry(percentage, mark, comment, base_version)


def check_sheet(school_class: SchoolClass, subject: Subject, term: Term, today: date) -> None:
    """Refuse a subject not taught in the class's grade or a term not yet begun."""
    if not subject.taught_in(school_class.grade):
        raise InvalidInput(_l("This subject is not taught in this grade."))
    if term.starts_on > today:
        raise InvalidInput(_l("This term has not begun yet."))


def term_of(school_class: SchoolClass, number: int) -> Term | None:
    """Term `number` of the class's school year."""
    return db.session.scalar(
        select(Term).where(Term.academic_year == school_class.academic_year, Term.number == number)
    )


@dataclass
class Conflict:
    child: Child
    current: TermResult


@dataclass
class SaveResult:
    changed: int = 0
    conflicts: list[Conflict] = field(default_factory=list)


def results_for(
    child_ids: list[uuid.UUID], subject_id: uuid.UUID, term_id: int
) -> dict[uuid.UUID, TermResult]:
    return {result.child_id: result for result in results_in(child_ids, [subject_id], [term_id])}


def results_in(
    child_ids: list[uuid.UUID], subject_ids: list[uuid.UUID], term_ids: list[int]
) -> list[TermResult]:
    """The results of these children in these subjects and terms, in one query."""
    if not child_ids or not subject_ids or not term_ids:
        return []
    return list(
        db.session.scalars(
            select(TermResult).where(
                TermResult.child_id.in_(child_ids),
                TermResult.subject_id.in_(subject_ids),
                TermResult.term_id.in_(term_ids),
            )
        )
    )


def begun_terms(school_class: SchoolClass, today: date) -> list[Term]:
    """The terms of the class's school year that have begun by `today`, in order."""
    return list(
        db.session.scalars(
            select(Term)
            .where(Term.academic_year == school_class.academic_year, Term.starts_on <= today)
            .order_by(Term.number)
        )
    )


def save_sheet(
    teacher: User,
    school_class: SchoolClass,
    subject: Subject,
    term: Term,
    entries: dict[uuid.UUID, Entry],
    recorded_at: datetime,
    action: str = "results_write",
) -> SaveResult:
    """Apply a class's results for one subject and term, all or nothing; flushes only.
    Entries for children not in the class are refused; a result changed by someone else
    since the sheet was opened is returned as a conflict, not overwritten. `action` is the
    audit's word for the write (an import says so)."""
    children = {child.id: child for child in school_class.children}
    if not set(entries) <= set(children):
        raise InvalidInput(_l("A child on this sheet is not in this class."))
    existing = results_for(list(entries), subject.id, term.id)
    if any(e.base_version != 0 for c, e in entries.items() if c not in existing):
        raise InvalidInput(_l("The form was changed in an unexpected way."))
    if any(e.empty for c, e in entries.items() if c in existing):
        raise InvalidInput(_l("A result once recorded cannot be emptied: correct it instead."))
    conflicts = [
        Conflict(children[child_id], existing[child_id])
        for child_id, entry in entries.items()
        if child_id in existing and entry.base_version != existing[child_id].version
    ]
    if conflicts:
        return SaveResult(conflicts=conflicts)
    saved = SaveResult()
    for child_id, new in entries.items():
        result = existing.get(child_id)
        if result is None and new.empty:
            continue
        if result is not None and same(result, new):
            continue
        if result is None:
            result = TermResult(
                child_id=child_id, subject_id=subject.id, term_id=term.id, class_id=school_class.id
            )
        else:
            keep_history(result, teacher)
        result.percentage, result.mark, result.comment = new.percentage, new.mark, new.comment
        result.recorded_by_id, result.recorded_at = teacher.id, recorded_at
        result.received_at = utcnow()
        db.session.add(result)
        saved.changed += 1
        audit(action, "child", child_id)
    db.session.flush()
    return saved


def same(result: TermResult, new: Entry) -> bool:
    return (result.percentage, result.mark, result.comment) == (
        new.percentage,
        new.mark,
        new.comment,
    )


def keep_history(result: TermResult, replaced_by: User, conflict: bool = False) -> None:
    db.session.add(
        TermResultHistory(
            result_id=result.id,
            version=result.version,
            percentage=result.percentage,
            mark=result.mark,
            comment=result.comment,
            recorded_by_id=result.recorded_by_id,
            recorded_at=result.recorded_at,
            received_at=result.received_at,
            replaced_by_id=replaced_by.id,
            conflict=conflict,
        )
    )
