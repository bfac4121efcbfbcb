"""School results on a child's review summary (children/review.py): the term marks of the terms
that ended or run since the last review, by subject, with the change from the term before."""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from app.attendance.models import Term
from app.children.models import Child
from app.extensions import db
from app.results.models import Subject, TermResult

# How far back a term's mark is read to compare the first term of the period with.
LOOK_BACK = timedelta(days=200)


@dataclass
class ReviewRow:
    subject: Subject
    by_term: dict[int, TermResult] = field(default_factory=dict)  # the period's terms, by id
    before: int | None = None  # the latest mark before the period

    def trend(self, term_ids: list[int]) -> int | None:
        """The last mark of the period minus the mark before it; None with fewer than two."""
        marks = [self.before] + [self.by_term[t].mark for t in term_ids if t in self.by_term]
        marks = [mark for mark in marks if mark is not None]
        return marks[-1] - marks[-2] if len(marks) >= 2 else None


def results_part(child: Child, since: date) -> dict:
    """One statement: the child's results of the terms ending since `since`, and of those
    ending in the LOOK_BACK before it, for the trend."""
    rows: dict[uuid.UUID, ReviewRow] = {}
    terms: dict[int, Term] = {}
    found = db.session.execute(
        select(TermResult, Term, Subject)
        .join(Term, Term.id == TermResult.term_id)
        .join(Subject, Subject.id == TermResult.subject_id)
        .where(TermResult.child_id == child.id, Term.ends_on >= since - LOOK_BACK)
        .order_by(Subject.position, Subject.code, Term.starts_on)
    )
    for result, term, subject in found:
        row = rows.setdefault(subject.id, ReviewRow(subject))
        if term.ends_on >= since:
            row.by_term[term.id] = result
            terms[term.id] = term
        elif result.mark is not None:
            row.before = result.mark  # terms come in order: the latest before the period wins
    in_period = sorted(terms.values(), key=lambda term: term.starts_on)
    term_ids = [term.id for term in in_period]
    shown = [row for row in rows.values() if row.by_term]
    return {
        "terms": in_period,
        "rows": [(row, row.trend(term_ids)) for row in shown],
    }
