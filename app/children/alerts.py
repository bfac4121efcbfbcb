"""Alerts on a social worker's home page: what needs them now, across their caseload.

Each domain contributes a rule: a function (social worker, today) -> alerts about the children
of their caseload. Rules query their whole caseload at once (no query per child).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select

from app.attendance.models import AttendanceMark, Status
from app.auth.models import User
from app.children.access import reachable_child_ids
from app.children.models import Child
from app.extensions import db

# Attendance below this share of the days recorded over the last LOW_ATTENDANCE_DAYS days.
LOW_ATTENDANCE_RATE = 0.85
LOW_ATTENDANCE_DAYS = 28  # four weeks
# Fewer marks than this in the window say too little to raise an alert.
LOW_ATTENDANCE_MIN_MARKS = 5


@dataclass(frozen=True)
class Alert:
    kind: str  # "overdue_visit", "unresolved_incident", "low_attendance"
    child_id: uuid.UUID
    child_name: str
    # What the alert is about, as numbers the template words: a rate, a count of days…
    value: float | int | date | None = None
    # Where the alert leads, as (endpoint, arguments) for url_for; None: the child's page.
    target: tuple[str, dict] | None = None


Rule = Callable[[User, date], list[Alert]]
RULES: list[Rule] = []


def register_rule(rule: Rule) -> Rule:
    if rule not in RULES:
        RULES.append(rule)
    return rule


def alerts_for(user: User, today: date) -> list[Alert]:
    return [alert for rule in RULES for alert in rule(user, today)]


@register_rule
def low_attendance(user: User, today: date) -> list[Alert]:
    """Children whose attendance over the last four weeks fell below 85 %."""
    since = today - timedelta(days=LOW_ATTENDANCE_DAYS - 1)
    attended = func.sum(case((AttendanceMark.status.in_(ATTENDED), 1), else_=0))
    rows = db.session.execute(
        select(Child.id, Child.family_name, Child.given_name, attended, func.count())
        .join(AttendanceMark, AttendanceMark.child_id == Child.id)
        .where(
            Child.id.in_(reachable_child_ids(user)),
            AttendanceMark.day.between(since, today),
        )
        .group_by(Child.id, Child.family_name, Child.given_name)
    )
    alerts = []
    for child_id, family_name, given_name, present, marks in rows:
        rate = present / marks
        if marks >= LOW_ATTENDANCE_MIN_MARKS and rate < LOW_ATTENDANCE_RATE:
            name = f"{family_name} {given_name}"
            alerts.append(Alert("low_attendance", child_id, name, rate))
    return sorted(alerts, key=lambda alert: alert.value)


ATTENDED = [status for status in Status if status.attended]
