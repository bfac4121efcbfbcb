"""School results on a child's page, and the social worker's alerts about them."""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from app.attendance.models import Term
from app.auth.models import User
from app.children.access import reachable_child_ids
from app.children.alerts import Alert
from app.children.models import Child
from app.children.timeline import Item
from app.core import clock
from app.extensions import db
from app.results.models import Subject, TermResult

TERMS = (1, 2, 3, 4)
FAILING_MARK = 2
DROP = 2  # a mark two or more below the term before


@dataclass
class SubjectRow:
    """A subject's results over the year's terms, and the last change between two terms."""

    subject: Subject
    by_term: dict[int, TermResult] = field(default_factory=dict)

    @property
    def trend(self) -> int | None:
        """The last mark minus the one of the term before it; None with fewer than two."""
        marks = [self.by_term[n].mark for n in TERMS if n in self.by_term]
        marks = [mark for mark in marks if mark is not None]
        return marks[-1] - marks[-2] if len(marks) >= 2 else None


def _year_results(child_ids, academic_year: str):
    """(result, term number, subject) of the children's marks and comments this year."""
    return db.session.execute(
        select(TermResult, Term.number, Subject)
        .join(Term, Term.id == TermResult.term_id)
        .join(Subject, Subject.id == TermResult.subject_id)
        .where(TermResult.child_id.in_(child_ids), Term.academic_year == academic_year)
        .order_by(Subject.position, Subject.code, Term.number)
    )


def child_section(child: Child) -> dict:
    """This school year's results by subject and term, for everyone who may open the page."""
    rows: dict[uuid.UUID, SubjectRow] = {}
    for result, number, subject in _year_results([child.id], clock.academic_year_of(clock.today())):
        rows.setdefault(subject.id, SubjectRow(subject)).by_term[number] = result
    return {"rows": list(rows.values()), "terms": TERMS}


def results_by_term(viewer: User, child: Child, since: date) -> list[Item]:
    """One item per term with results since `since`, on the day it ended (or the last entry,
    while it runs): each subject's mark, or its comment. Everyone who may open the page."""
    terms: dict[int, list[tuple[TermResult, Subject]]] = defaultdict(list)
    ends: dict[int, date] = {}
    rows = db.session.execute(
        select(TermResult, Term, Subject)
        .join(Term, Term.id == TermResult.term_id)
        .join(Subject, Subject.id == TermResult.subject_id)
        .where(TermResult.child_id == child.id, Term.ends_on >= since)
        .order_by(Subject.position, Subject.code)
    )
    for result, term, subject in rows:
        terms[term.number].append((result, subject))
        last_entry = result.recorded_at.date()
        ends[term.number] = min(term.ends_on, max(ends.get(term.number, last_entry), last_entry))
    return [
        Item(
            on=ends[number],
            kind="results",
            title=str(_l("School results, term %(number)d", number=number)),
            details=tuple(_line(result, subject) for result, subject in results),
        )
        for number, results in terms.items()
    ]


def _line(result: TermResult, subject: Subject) -> str:
    if result.mark is None:
        return f"{subject.name}: {result.comment}"
    return f"{subject.name}: {result.mark}"


def struggling(user: User, today: date) -> list[Alert]:
    """Children of the caseload whose latest term mark in a subject is a 2, or two or more
    below the term before."""
    marks: dict[tuple[uuid.UUID, uuid.UUID], dict[int, int]] = defaultdict(dict)
    subjects: dict[uuid.UUID, Subject] = {}
    names: dict[uuid.UUID, str] = {}
    rows = db.session.execute(
        select(TermResult.child_id, TermResult.mark, Term.number, Subject, Child)
        .join(Term, Term.id == TermResult.term_id)
        .join(Subject, Subject.id == TermResult.subject_id)
        .join(Child, Child.id == TermResult.child_id)
        .where(
            TermResult.child_id.in_(reachable_child_ids(user)),
            Term.academic_year == clock.academic_year_of(today),
            TermResult.mark.is_not(None),
        )
    )
    for child_id, mark, number, subject, child in rows:
        marks[child_id, subject.id][number] = mark
        subjects[subject.id] = subject
        names[child_id] = f"{child.family_name} {child.given_name}"
    alerts = []
    for (child_id, subject_id), by_term in marks.items():
        numbers = sorted(by_term)
        last = by_term[numbers[-1]]
        before = by_term[numbers[-2]] if len(numbers) > 1 else None
        subject = subjects[subject_id]
        if last == FAILING_MARK:
            words = _l("a term mark of 2 in %(subject)s.", subject=subject.name)
        elif before is not None and before - last >= DROP:
            words = _l(
                "the term mark in %(subject)s fell from %(before)d to %(after)d.",
                subject=subject.name,
                before=before,
                after=last,
            )
        else:
            continue
        alerts.append(Alert("school_results", child_id, names[child_id], last, words=words))
    return sorted(alerts, key=lambda alert: (alert.value, alert.child_name))


def failing_marks(child_ids, today: date) -> Select:
    """(child id, day entered) of each subject whose latest term mark this school year is a 2,
    among `child_ids`: the "struggling" alert's first rule, in SQL for the committee's list."""
    latest = (
        select(
            TermResult.child_id,
            TermResult.mark,
            TermResult.recorded_at,
            func.row_number()
            .over(
                partition_by=(TermResult.child_id, TermResult.subject_id),
                order_by=Term.number.desc(),
            )
            .label("rank"),
        )
        .join(Term, Term.id == TermResult.term_id)
        .where(
            TermResult.child_id.in_(child_ids),
            Term.academic_year == clock.academic_year_of(today),
            TermResult.mark.is_not(None),
        )
        .subquery()
    )
    return select(latest.c.child_id, latest.c.recorded_at).where(
        latest.c.rank == 1, latest.c.mark == FAILING_MARK
    )
