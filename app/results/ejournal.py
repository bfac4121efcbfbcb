"""Term marks from the school's e-journal: a teacher's export (one row per child, subject and
term) checked row by row by the sheet's own rules, then saved as the sheet saves them.

A row may name only a child of a class the teacher enters results for, in a subject they
enter there. What a row records is checked by services.entry and written by
services.save_sheet, so an imported result is held to the same rules and keeps the same
history as one typed on the sheet. An empty comment cell keeps the stored comment, and a mark
alone that agrees with the stored one keeps its percentage: an export that leaves them out
does not erase them.
"""

import dataclasses
import re
import uuid
from collections import defaultdict
from collections.abc import Mapping
from datetime import date

from flask_babel import format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.attendance.models import Term
from app.auth.models import User
from app.children.matching import NAME_FIELDS, ChildFinder, child_name, missing_name
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.models import utcnow
from app.extensions import db
from app.results import services
from app.results.models import Subject, TermResult
from app.results.subjects import all_subjects, classes_entered_by, entered_by
from app.uploads.checking import (
    Check,
    Kind,
    Line,
    Overtaken,
    Problem,
    is_empty,
    missing_message,
    rows,
)
from app.uploads.fields import Cell, Field, header_key, text
from app.uploads.read import Table

FIELDS = (
    *NAME_FIELDS,
    Field("subject", _l("Subject"), True, ("Пән", "Пәні", "Предмет", "Subject")),
    Field("term", _l("Term"), True, ("Тоқсан", "Четверть", "Term", "Quarter")),
    Field("percentage", _l("Percentage"), False, ("Пайыз", "Процент", "Percentage", "Percent")),
    Field(
        "mark",
        _l("Term mark"),
        False,
        ("Баға", "Тоқсандық баға", "Оценка", "Четвертная оценка", "Итоговая оценка", "Mark"),
    ),
    Field("comment", _l("Comment"), False, ("Түсініктеме", "Пікір", "Комментарий", "Comment")),
)
VALUES = ("percentage", "mark", "comment")
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def missing_columns(mapping: Mapping[str, int]) -> str | None:
    missing = missing_name(mapping)
    missing += [str(f.label) for f in FIELDS if f.required and f.key not in mapping]
    if not any(key in mapping for key in VALUES):
        missing.append(_("Percentage, term mark or comment"))
    return missing_message(missing)


# -- checking the rows --


class Context:
    """What every row is checked against, each read once for the whole file."""

    def __init__(self, user: User, today: date):
        classes = classes_entered_by(user)
        self.finder = ChildFinder(classes)
        self.own_classes, self.taught = entered_by(user)
        self.subjects = _subject_names(all_subjects())
        self.terms = {(t.academic_year, t.number): t for t in db.session.scalars(select(Term))}
        self.today = today
        self.seen: dict[tuple, int] = {}

    def enters(self, class_id: uuid.UUID, subject_id: uuid.UUID) -> bool:
        return class_id in self.own_classes or (class_id, subject_id) in self.taught


def _subject_names(subjects: list[Subject]) -> dict[str, Subject | None]:
    """Folded code and names in every language → the subject (None: names two subjects)."""
    names: dict[str, Subject | None] = {}
    for subject in subjects:
        spellings = (subject.code, subject.name_en, subject.name_kk, subject.name_ru)
        for key in {header_key(s) for s in (*spellings, subject.name_ar)}:
            names[key] = subject if names.get(key, subject) is subject else None
    return names


def check(user: User, table: Table, mapping: Mapping[str, int], today: date) -> Check:
    context = Context(user, today)
    result = Check()
    candidates = []
    for number, values in rows(table, mapping):
        if is_empty(values, VALUES):
            result.empty += 1
            continue
        candidate, problems = _check_row(number, values, context)
        if problems:
            name = child_name(values)
            result.problems += [Problem(number, name, message) for message in problems]
        else:
            candidates.append(candidate)
    _compare_with_stored(candidates, result)
    return result


def _check_row(number: int, values: dict, context: Context):
    problems: list[str] = []
    child, problem = context.finder.find(child_name(values), values.get("class_name"))
    problems += [problem] if problem else []
    subject = _subject(values.get("subject"), context, problems)
    number_of_term = _term_number(values.get("term"), problems)
    percentage = _whole_number(values.get("percentage"), problems)
    mark = _whole_number(values.get("mark"), problems)
    if child is None or subject is None or number_of_term is None or problems:
        return None, problems
    school_class = child.school_class
    term = context.terms.get((school_class.academic_year, number_of_term))
    try:
        if not context.enters(school_class.id, subject.id):
            raise InvalidInput(_("You do not enter this subject's results for this child."))
        if term is None:
            raise InvalidInput(_("There is no such term in this school year."))
        services.check_sheet(school_class, subject, term, context.today)
        entry = services.entry(school_class.grade, percentage, mark, text(values.get("comment")))
    except InvalidInput as refused:
        return None, [str(refused.message)]
    if percentage is not None and mark is not None and mark != entry.mark:
        return None, [_disagreeing(percentage, mark, entry.mark)]
    first = context.seen.setdefault((child.id, subject.id, term.id), number)
    if first != number:
        return None, [
            _("Row %(row)d already gives this child's result in this subject and term.", row=first)
        ]
    return (number, child, school_class, subject, term, entry), []


def _subject(value: Cell | None, context: Context, problems: list[str]) -> Subject | None:
    if not text(value):
        problems.append(_("The subject is missing."))
        return None
    subject = context.subjects.get(header_key(text(value)))
    if subject is None:
        problems.append(_("“%(value)s” is not a subject Qadam knows.", value=text(value)))
    return subject


def _term_number(value: Cell | None, problems: list[str]) -> int | None:
    """1–4 from "2", "2 четверть", "2-тоқсан", "II", "Term 2"."""
    numbers = re.findall(r"\b(?:[0-9]+|IV|I{1,3})\b", text(value).upper())
    if len(numbers) == 1:
        token = numbers[0]
        number = ROMAN[token] if token in ROMAN else int(token)
        if number in (1, 2, 3, 4):
            return number
    if not text(value):
        problems.append(_("The term is missing."))
    else:
        problems.append(_("“%(value)s” is not a term: write 1, 2, 3 or 4.", value=text(value)))
    return None


def _whole_number(value: Cell | None, problems: list[str]) -> int | None:
    """A whole number as a spreadsheet writes it: "72", "72 %", "72,0", 72.0."""
    raw = text(value).removesuffix("%").strip()
    if not raw:
        return None
    if re.fullmatch(r"-?[0-9]{1,4}([.,]0+)?", raw):
        return int(re.split(r"[.,]", raw)[0])
    problems.append(_("“%(value)s” is not a whole number.", value=text(value)[:20]))
    return None


def _disagreeing(percentage: int, mark: int, expected: int) -> str:
    return _(
        "%(percentage)s gives the term mark %(expected)d, not %(mark)d.",
        percentage=format_percent(percentage / 100),
        expected=expected,
        mark=mark,
    )


def _compare_with_stored(candidates: list, result: Check) -> None:
    """A line per candidate: new, a correction of what is stored, or unchanged."""
    stored = _stored(candidates)
    for number, child, school_class, subject, term, entry in candidates:
        current = stored.get((child.id, subject.id, term.id))
        entry = _keeping(entry, current)
        if current is None:
            result.versions.append(f"{child.id}:{subject.id}:{term.id}:0")
        else:
            result.versions.append(f"{current.id}:{current.version}")
            entry = dataclasses.replace(entry, base_version=current.version)
        result.lines.append(
            Line(
                row=number,
                name=child.full_name,
                what=_("%(subject)s, term %(number)d", subject=subject.name, number=term.number),
                value=shown(entry),
                stored=shown(current) if current else None,
                changes=current is None or not services.same(current, entry),
                payload=(school_class, subject, term, child.id, entry),
            )
        )


def _stored(candidates: list) -> dict[tuple, TermResult]:
    """The results stored for the candidates' children and terms, in one query."""
    if not candidates:
        return {}
    child_ids = {c[1].id for c in candidates}
    term_ids = {c[4].id for c in candidates}
    results = db.session.scalars(
        select(TermResult).where(
            TermResult.child_id.in_(child_ids), TermResult.term_id.in_(term_ids)
        )
    )
    return {(r.child_id, r.subject_id, r.term_id): r for r in results}


def _keeping(entry: services.Entry, current: TermResult | None) -> services.Entry:
    """What an export leaves out is kept: the comment, and a percentage its mark agrees with."""
    if current is None:
        return entry
    if entry.comment is None:
        entry = dataclasses.replace(entry, comment=current.comment)
    agrees = entry.percentage is None and entry.mark is not None and entry.mark == current.mark
    if agrees and current.percentage is not None:
        entry = dataclasses.replace(entry, percentage=current.percentage)
    return entry


def shown(value) -> str:
    """A result as one short line: the mark, the percentage, the comment."""
    parts = []
    if value.mark is not None:
        parts.append(str(value.mark))
    if value.percentage is not None:
        parts.append(format_percent(value.percentage / 100))
    if value.comment:
        parts.append(f"“{value.comment}”")
    return " · ".join(parts)


# -- importing --


def apply(user: User, checked: Check) -> int:
    """Save the changing lines, a class's subject and term at a time; flushes only."""
    groups: dict[tuple, dict] = defaultdict(dict)
    sheets = {}
    for line in checked.changing:
        school_class, subject, term, child_id, entry = line.payload
        key = (school_class.id, subject.id, term.id)
        sheets[key] = (school_class, subject, term)
        groups[key][child_id] = entry
    changed = 0
    recorded_at = utcnow()
    for key, entries in groups.items():
        school_class, subject, term = sheets[key]
        saved = services.save_sheet(
            user, school_class, subject, term, entries, recorded_at, action="results_import"
        )
        if saved.conflicts:
            raise Overtaken
        changed += saved.changed
    return changed


def audit_reads(checked: Check) -> None:
    """The preview shows the stored results of these classes."""
    for class_id in dict.fromkeys(line.payload[0].id for line in checked.lines):
        audit("view_results", "school_class", class_id)


KIND = Kind("results", FIELDS, missing_columns, check, apply, audit_reads)
