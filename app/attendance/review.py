"""Attendance on a child's review summary (children/review.py): the rate since the last review
and month by month, counted in SQL (one statement, served by the child's marks' index)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, extract, func, select

from app.attendance.models import AttendanceMark, Status
from app.children.models import Child
from app.core import clock
from app.extensions import db

ATTENDED = [status for status in Status if status.attended]
# A change of less than this between two months reads as "about the same".
STEADY = 0.02


@dataclass(frozen=True)
class Month:
    first_day: date
    attended: int
    recorded: int
    change: float | None  # the rate minus the month before's; None for the first month

    @property
    def rate(self) -> float:
        return self.attended / self.recorded

    @property
    def trend(self) -> str | None:
        """ "up", "down" or "steady" against the month before; None for the first month."""
        if self.change is None:
            return None
        if abs(self.change) < STEADY:
            return "steady"
        return "up" if self.change > 0 else "down"


def attendance_part(child: Child, since: date) -> dict:
    """The share of days attended since `since`, and each month's share with its trend."""
    year, month = extract("year", AttendanceMark.day), extract("month", AttendanceMark.day)
    attended = func.sum(case((AttendanceMark.status.in_(ATTENDED), 1), else_=0))
    rows = db.session.execute(
        select(year, month, attended, func.count())
        .where(AttendanceMark.child_id == child.id)
        .where(AttendanceMark.day.between(since, clock.today()))
        .group_by(year, month)
        .order_by(year, month)
    )
    months: list[Month] = []
    for y, m, present, recorded in rows:
        before = months[-1].rate if months else None
        rate = present / recorded
        change = None if before is None else rate - before
        months.append(Month(date(int(y), int(m), 1), int(present), int(recorded), change))
    total = sum(month.recorded for month in months)
    rate = sum(month.attended for month in months) / total if total else None
    return {"months": months, "rate": rate, "recorded": total}
