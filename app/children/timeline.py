"""A child's timeline: one chronological view of what happened, from every domain.

Each domain contributes a source: a function (viewer, child, since) -> items, which returns
only what that viewer may see (a teacher gets attendance, never the casework). The page
gathers them and sorts newest first.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.attendance.models import AttendanceMark, Status
from app.auth.models import User
from app.children.models import Child
from app.extensions import db


@dataclass(frozen=True)
class Item:
    """One thing on the timeline. `restricted`: only for the social worker and the committee
    (the page then tells the service worker not to keep a copy)."""

    on: date
    kind: str  # "attendance", "placement", "visit", "incident"
    title: str
    details: tuple[str, ...] = ()
    url: str | None = None
    restricted: bool = False
    # For attendance weeks: the count of each status, in Status order.
    counts: dict = field(default_factory=dict)


Source = Callable[[User, Child, date], list[Item]]
SOURCES: list[Source] = []


def register_source(source: Source) -> Source:
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def timeline(viewer: User, child: Child, since: date) -> list[Item]:
    """Every item since `since` that `viewer` may see, newest first."""
    items = [item for source in SOURCES for item in source(viewer, child, since)]
    return sorted(items, key=lambda item: (item.on, item.kind), reverse=True)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@register_source
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


WEEK_TITLE = _l("Attendance in the week")
