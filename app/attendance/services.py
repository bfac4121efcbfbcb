"""Roll calls: reading a class's day, saving it in one unit of work, and a child's term."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _nl
from sqlalchemy import case, func, select

from app.attendance.calendar import Calendar
from app.attendance.models import AttendanceMark, AttendanceMarkHistory, Status
from app.auth.models import User
from app.children.models import Child, SchoolClass
from app.core import rules
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.models import utcnow
from app.core.rules import RuleBroken
from app.extensions import db

MAX_REASON = 200


@dataclass(frozen=True)
class Entry:
    """What the teacher chose for one child, and the mark version the choice was based on."""

    status: Status
    reason: str | None
    base_version: int  # 0: there was no mark yet


@dataclass
class RollCallState:
    marked: int = 0
    absent: int = 0
    late: int = 0
    taken_at: datetime | None = None

    @property
    def taken(self) -> bool:
        return self.marked > 0


@dataclass
class Conflict:
    child: Child
    current: AttendanceMark


@dataclass
class SaveResult:
    changed: int = 0
    conflicts: list[Conflict] = field(default_factory=list)


def editable_days(calendar: Calendar, today: date) -> list[date]:
    return calendar.school_days_back(today, current_app.config["QADAM_CORRECTION_DAYS"])


def roll_call_states(class_ids: list[uuid.UUID], day: date) -> dict[uuid.UUID, RollCallState]:
    """Per class: how many marks, absences and lates on `day`, and when it was first taken."""
    if not class_ids:
        return {}
    absent = case((AttendanceMark.status.in_([Status.ABSENT, Status.EXCUSED]), 1), else_=0)
    late = case((AttendanceMark.status == Status.LATE, 1), else_=0)
    rows = db.session.execute(
        select(
            AttendanceMark.class_id,
            func.count(),
            func.sum(absent),
            func.sum(late),
            func.min(AttendanceMark.recorded_at),
        )
        .where(AttendanceMark.class_id.in_(class_ids), AttendanceMark.day == day)
        .group_by(AttendanceMark.class_id)
    )
    states = {class_id: RollCallState() for class_id in class_ids}
    for class_id, marked, n_absent, n_late, taken_at in rows:
        states[class_id] = RollCallState(marked, n_absent or 0, n_late or 0, taken_at)
    return states


def marks_for(child_ids: list[uuid.UUID], day: date) -> dict[uuid.UUID, AttendanceMark]:
    if not child_ids:
        return {}
    marks = db.session.scalars(
        select(AttendanceMark).where(
            AttendanceMark.child_id.in_(child_ids), AttendanceMark.day == day
        )
    )
    return {mark.child_id: mark for mark in marks}


def check_day(calendar: Calendar, day: date, today: date) -> None:
    """Refuse a day the teacher may not write to; the message says why."""
    if day > today:
        raise InvalidInput(_l("You cannot take a roll call for a day in the future."))
    if not calendar.is_school_day(day):
        raise InvalidInput(_l("This day is not a school day."))
    if day not in editable_days(calendar, today):
        raise InvalidInput(
            _nl(
                "Roll calls older than %(num)d school day can no longer be changed.",
                "Roll calls older than %(num)d school days can no longer be changed.",
                current_app.config["QADAM_CORRECTION_DAYS"],
            ),
            status=403,
        )


def save_roll_call(
    teacher: User,
    school_class: SchoolClass,
    children: list[Child],
    day: date,
    entries: dict[uuid.UUID, Entry],
    recorded_at: datetime,
) -> SaveResult:
    """Apply a whole roll call or nothing. Conflicting edits are returned, not overwritten."""
    if set(entries) != {child.id for child in children}:
        raise InvalidInput(
            _l("The class list has changed since this page was opened. Check it and save again.")
        )
    existing = marks_for(list(entries), day)
    conflicts = [
        Conflict(child, existing[child.id])
        for child in children
        if entries[child.id].base_version != _version(existing.get(child.id))
    ]
    if conflicts:
        return SaveResult(conflicts=conflicts)
    result = SaveResult()
    for child in children:
        entry = entries[child.id]
        mark = existing.get(child.id)
        if mark is None:
            mark = AttendanceMark(child_id=child.id, class_id=school_class.id, day=day)
            db.session.add(mark)
        elif mark.status == entry.status and mark.reason == entry.reason:
            continue
        else:
            keep_history(mark, teacher)
        mark.status = entry.status
        mark.reason = entry.reason
        mark.recorded_by_id = teacher.id
        mark.recorded_at = recorded_at
        mark.received_at = utcnow()
        result.changed += 1
        audit("attendance_write", "child", child.id)
    db.session.flush()
    return result


def _version(mark: AttendanceMark | None) -> int:
    return mark.version if mark is not None else 0


def keep_history(mark: AttendanceMark, replaced_by: User, conflict: bool = False) -> None:
    db.session.add(
        AttendanceMarkHistory(
            mark_id=mark.id,
            version=mark.version,
            status=mark.status,
            reason=mark.reason,
            recorded_by_id=mark.recorded_by_id,
            recorded_at=mark.recorded_at,
            received_at=mark.received_at,
            replaced_by_id=replaced_by.id,
            conflict=conflict,
        )
    )


def parse_entry(status: str | None, reason: str | None, version: str | None) -> Entry:
    """One child's fields from a form; anything unexpected is refused with a message."""
    try:
        parsed_status, reason = read_status(status), read_reason(reason)
    except RuleBroken as broken:
        raise InvalidInput(broken.message) from broken
    try:
        base_version = int(version or 0)
    except ValueError as error:
        raise InvalidInput(_l("The form was changed in an unexpected way.")) from error
    return entry(parsed_status, reason, base_version)


def entry(status: Status, reason: str | None, base_version: int) -> Entry:
    """A checked status and reason as an Entry: a child who is present needs no reason."""
    return Entry(status, None if status is Status.PRESENT else reason, base_version)


# -- rules shared by the roll call's form and the offline mark (attendance.sync_ops) --------


def read_status(value: Any) -> Status:
    try:
        return Status(value)
    except (ValueError, TypeError) as error:
        raise RuleBroken(_l("Unknown attendance status.")) from error


def read_reason(value: Any) -> str | None:
    """The reason given, stripped (None if there is none), at most MAX_REASON characters."""
    reason = rules.text(value).strip() or None
    if reason and len(reason) > MAX_REASON:
        raise RuleBroken(
            _nl(
                "A reason can be at most %(num)d character long.",
                "A reason can be at most %(num)d characters long.",
                MAX_REASON,
            )
        )
    return reason


@dataclass
class TermAttendance:
    starts_on: date
    ends_on: date
    marks: list[AttendanceMark]

    def count(self, status: Status) -> int:
        return sum(1 for mark in self.marks if mark.status is status)

    @property
    def rate(self) -> float | None:
        if not self.marks:
            return None
        return sum(1 for mark in self.marks if mark.status.attended) / len(self.marks)


def term_attendance(child: Child, calendar: Calendar, today: date) -> TermAttendance:
    starts_on, ends_on = calendar.term_for(today)
    marks = list(
        db.session.scalars(
            select(AttendanceMark)
            .where(
                AttendanceMark.child_id == child.id,
                AttendanceMark.day.between(starts_on, ends_on),
            )
            .order_by(AttendanceMark.day.desc())
        )
    )
    return TermAttendance(starts_on, ends_on, marks)
