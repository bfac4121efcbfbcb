"""Attendance on a child's timeline and page, and low attendance among the alerts."""

from collections import defaultdict
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, case, func, select

from app.attendance.calendar import load_calendar
from app.attendance.models import AttendanceMark, Status
from app.attendance.services import term_attendance
from app.auth.models import User
from app.children.access import reachable_child_ids
from app.children.alerts import Alert
from app.children.models import Child
from app.children.timeline import Item
from app.core import clock
from app.extensions import db

# Attendance below this share of the days recorded over the last LOW_ATTENDANCE_DAYS days.
LOW_ATTENDANCE_RATE = 0.85
LOW_ATTENDANCE_DAYS = 28  # four weeks
# Fewer marks than this in the window say too little to raise an alert.
LOW_ATTENDANCE_MIN_MARKS = 5

WEEK_TITLE = _l("Attendance in the week")
ATTENDED = [status for status in Status if status.attended]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def attendance_by_week(viewer: User, child: Child, since: date) -> list[Item]:
    """One item per school week with marks: how many days of each status. Everyone who may
    open the child's page sees it."""
    marks = db.session.execute(
        select(AttendanceMark.day, AttendanceMark.status).where(
            AttendanceMark.child_id == child.id, AttendanceMark.day >= since
        )
    )
    weeks: dict[date, dict[Status, int]] = defaultdict(lambda: dict.fromkeys(Status, 0))
    for day, status in marks:
        weeks[monday(day)][status] += 1
    return [
        Item(
            on=week,
            kind="attendance",
            title=str(WEEK_TITLE),
            counts={status: count for status, count in counts.items() if count},
        )
        for week, counts in weeks.items()
    ]


def low_attendance_counts(child_ids, today: date) -> Select:
    """(child id, days attended, days marked) of the children among `child_ids` whose
    attendance over the last four weeks fell below 85 %, with enough marks to say so: the
    alerts' rule and the committee's due list read it alike."""
    counts = attendance_counts(child_ids, low_attendance_window_start(today), today)
    return counts.having(is_low(ATTENDED_DAYS, func.count()))


# Days attended among a child's marks, in attendance_counts' statement.
ATTENDED_DAYS = func.sum(case((AttendanceMark.status.in_(ATTENDED), 1), else_=0))


def attendance_counts(child_ids, since: date, until: date) -> Select:
    """(child id, days attended, days marked) of `child_ids` from `since` to `until`."""
    return (
        select(
            AttendanceMark.child_id,
            ATTENDED_DAYS.label("attended"),
            func.count().label("marks"),
        )
        .where(AttendanceMark.child_id.in_(child_ids), AttendanceMark.day.between(since, until))
        .group_by(AttendanceMark.child_id)
    )


def is_low(attended, marks) -> ColumnElement[bool]:
    """The rule of low attendance, on a child's days attended and days marked: below 85 %,
    with enough marks to say so (the alerts, the due list and the district's indicators)."""
    percent = round(LOW_ATTENDANCE_RATE * 100)
    return and_(marks >= LOW_ATTENDANCE_MIN_MARKS, attended * 100 < percent * marks)


def low_attendance_window_start(today: date) -> date:
    return today - timedelta(days=LOW_ATTENDANCE_DAYS - 1)


def low_attendance(user: User, today: date) -> list[Alert]:
    """Children whose attendance over the last four weeks fell below 85 %."""
    low = low_attendance_counts(reachable_child_ids(user), today).subquery()
    rows = db.session.execute(
        select(Child.id, Child.family_name, Child.given_name, low.c.attended, low.c.marks).join(
            low, low.c.child_id == Child.id
        )
    )
    alerts = []
    for child_id, family_name, given_name, present, marks in rows:
        name = f"{family_name} {given_name}"
        alerts.append(Alert("low_attendance", child_id, name, present / marks))
    return sorted(alerts, key=lambda alert: alert.value)


def child_section(child: Child) -> dict:
    """This term's attendance on the child's page, for everyone who may open it."""
    return {
        "attendance": term_attendance(child, load_calendar(), clock.today()),
        "statuses": list(Status),
    }
