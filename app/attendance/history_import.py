"""Attendance history from the school's e-journal: a class teacher's export (one row per child
and day) checked row by row, then written as marks with their history, as the roll call does.

Only the teacher's own classes (those they take the roll call for), only school days of the
class's school year, never a day to come. A day older than the roll call's correction window
may be filled in where nothing is stored, but a stored mark there is not changed, as on the
roll call. A day the e-journal leaves empty is left as it is.
"""

from collections.abc import Mapping
from datetime import date

from flask import current_app
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.attendance import services
from app.attendance.calendar import Calendar, load_calendar
from app.attendance.models import STATUS_LABELS, AttendanceMark, Status
from app.auth.models import User
from app.children.matching import NAME_FIELDS, ChildFinder, child_name, missing_name
from app.children.services import classes_taught_by
from app.core.audit import audit
from app.core.clock import academic_year_of
from app.core.models import utcnow
from app.core.rules import RuleBroken
from app.extensions import db
from app.uploads.checking import Check, Kind, Line, Problem, is_empty, missing_message, rows
from app.uploads.fields import Cell, Field, parse_date, text
from app.uploads.read import Table

FIELDS = (
    *NAME_FIELDS,
    Field("day", _l("Date"), True, ("Күні", "Күн", "Дата", "День", "Date", "Day")),
    Field(
        "status",
        _l("Attendance"),
        True,
        ("Қатысу", "Белгі", "Посещаемость", "Отметка", "Статус", "Attendance", "Status"),
    ),
    Field("reason", _l("Reason"), False, ("Себебі", "Себеп", "Причина", "Reason")),
)

# How e-journals write a day's attendance, in Kazakh, Russian and English (compared in lower
# case, without a final full stop). "Н" (не был) is the Russian journals' absence and "Б"
# (болел) their illness; Kazakh journals write "Ж" (жоқ), "С" (себепті), "К" (кешікті).
SPELLINGS = {
    Status.PRESENT: ("+", "✓", "p", "present", "бар", "қатысты", "был", "была", "присутствовал",
                     "присутствовала", "присутствует"),
    Status.ABSENT: ("н", "нб", "н/б", "ж", "a", "absent", "жоқ", "қатыспады", "не был", "не была",
                    "отсутствовал", "отсутствовала", "отсутствует"),
    Status.LATE: ("о", "оп", "к", "l", "late", "кешікті", "опоздал", "опоздала", "опоздал(а)"),
    Status.EXCUSED: ("у", "уп", "б", "с", "e", "excused", "себепті", "ауырды", "болел", "болела",
                     "по уважительной причине", "уважительная"),
}  # fmt: skip
STATUSES = {spelling: status for status, words in SPELLINGS.items() for spelling in words}


def read_status(value: Cell | None) -> Status | None:
    return STATUSES.get(text(value).casefold().rstrip(".").strip())


def missing_columns(mapping: Mapping[str, int]) -> str | None:
    missing = missing_name(mapping)
    missing += [str(f.label) for f in FIELDS if f.required and f.key not in mapping]
    return missing_message(missing)


class Context:
    def __init__(self, user: User, today: date):
        self.finder = ChildFinder(classes_taught_by(user))
        self.calendar: Calendar = load_calendar()
        self.today = today
        self.editable = set(services.editable_days(self.calendar, today))
        self.seen: dict[tuple, int] = {}


def check(user: User, table: Table, mapping: Mapping[str, int], today: date) -> Check:
    context = Context(user, today)
    result = Check()
    candidates = []
    for number, values in rows(table, mapping):
        if is_empty(values, ("status",)):
            result.empty += 1
            continue
        candidate, problems = _check_row(number, values, context)
        if problems:
            name = child_name(values)
            result.problems += [Problem(number, name, message) for message in problems]
        else:
            candidates.append(candidate)
    _compare_with_stored(candidates, result, context)
    return result


def _check_row(number: int, values: dict, context: Context):
    problems: list[str] = []
    child, problem = context.finder.find(child_name(values), values.get("class_name"))
    problems += [problem] if problem else []
    day = _day(values.get("day"), context, problems)
    status = read_status(values.get("status"))
    if status is None:
        written = text(values.get("status"))
        problems.append(_("“%(value)s” is not an attendance mark Qadam knows.", value=written))
    try:
        reason = services.read_reason(values.get("reason"))
    except RuleBroken as broken:
        problems.append(str(broken.message))
    if child is None or problems:
        return None, problems
    if academic_year_of(day) != child.school_class.academic_year:
        return None, [_("This day is not in the class's school year.")]
    first = context.seen.setdefault((child.id, day), number)
    if first != number:
        return None, [_("Row %(row)d already gives this child's attendance that day.", row=first)]
    return (number, child, day, services.entry(status, reason, 0)), []


def _day(value: Cell | None, context: Context, problems: list[str]) -> date | None:
    if not text(value):
        problems.append(_("The date is missing."))
        return None
    day = parse_date(value)
    if day is None:
        # Translators: keep the date pattern in the form people write dates in your language.
        problems.append(
            _("“%(value)s” is not a date. Write dates as DD.MM.YYYY.", value=text(value))
        )
    elif day > context.today:
        problems.append(_("You cannot take a roll call for a day in the future."))
    elif not context.calendar.is_school_day(day):
        problems.append(_("This day is not a school day."))
    else:
        return day
    return None


def _compare_with_stored(candidates: list, result: Check, context: Context) -> None:
    stored = _stored(candidates)
    for number, child, day, entry in candidates:
        current = stored.get((child.id, day))
        if current is None:
            result.versions.append(f"{child.id}:{day.isoformat()}:0")
        else:
            result.versions.append(f"{current.id}:{current.version}")
        changes = current is None or (current.status, current.reason) != (
            entry.status,
            entry.reason,
        )
        if current is not None and changes and day not in context.editable:
            result.problems.append(Problem(number, child.full_name, _too_old()))
            continue
        result.lines.append(
            Line(
                row=number,
                name=child.full_name,
                what=format_date(day),
                value=shown(entry),
                stored=shown(current) if current else None,
                changes=changes,
                payload=(child, day, entry, current),
            )
        )
    result.problems.sort(key=lambda problem: problem.row)


def _value(value) -> tuple:
    return (value.status, value.reason)


def _too_old() -> str:
    return ngettext(
        "Roll calls older than %(num)d school day can no longer be changed.",
        "Roll calls older than %(num)d school days can no longer be changed.",
        current_app.config["QADAM_CORRECTION_DAYS"],
    )


def _stored(candidates: list) -> dict[tuple, AttendanceMark]:
    """The marks stored for the candidates' children over the file's days, in one query."""
    if not candidates:
        return {}
    child_ids = {c[1].id for c in candidates}
    days = [c[2] for c in candidates]
    marks = db.session.scalars(
        select(AttendanceMark).where(
            AttendanceMark.child_id.in_(child_ids),
            AttendanceMark.day.between(min(days), max(days)),
        )
    )
    return {(mark.child_id, mark.day): mark for mark in marks}


def shown(value) -> str:
    label = str(STATUS_LABELS[value.status])
    return f"{label} (“{value.reason}”)" if value.reason else label


def apply(user: User, checked: Check) -> int:
    """Write the changing lines, with the earlier value of a corrected mark in its history;
    flushes only. The marks were read by the check, in the same unit of work."""
    lines = checked.changing
    recorded_at = utcnow()
    for line in lines:
        child, day, entry, mark = line.payload
        if mark is None:
            mark = AttendanceMark(child_id=child.id, class_id=child.class_id, day=day)
            db.session.add(mark)
        else:
            services.keep_history(mark, user)
        mark.status, mark.reason = entry.status, entry.reason
        mark.recorded_by_id, mark.recorded_at, mark.received_at = user.id, recorded_at, utcnow()
        audit("attendance_import", "child", child.id)
    db.session.flush()
    return len(lines)


def audit_reads(checked: Check) -> None:
    """The preview shows the stored marks of these classes."""
    for class_id in dict.fromkeys(line.payload[0].class_id for line in checked.lines):
        audit("view_roll_call", "school_class", class_id)


KIND = Kind("attendance", FIELDS, missing_columns, check, apply, audit_reads)
