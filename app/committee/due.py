"""Who is due for the committee's review, why, and since when: one query over the district,
each reason read from the domain that owns its rule.

A followed child (one in a social worker's caseload) is due on their next review date: the one
their latest decision set, or, never reviewed, the district's interval after they began to be
followed (their first placement; without one, the day they were entered). A child is also put
forward by any reason below dated after their latest decision. A serious incident puts forward
any child of the district, followed or not, as the incidents' review list always did.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    String,
    and_,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased, selectinload

from app.attendance.overview import low_attendance_counts, low_attendance_window_start
from app.auth.models import User
from app.casework.due import visits_due
from app.casework.models import Placement
from app.children import access
from app.children.models import Child, SchoolClass, caseload
from app.committee.models import (
    DEFAULT_INTERVAL_MONTHS,
    ChildReview,
    DistrictSetting,
)
from app.core import paging
from app.core.paging import Page
from app.core.sql_dates import add_months, day_of
from app.extensions import db
from app.incidents.queries import open_review_items
from app.results.overview import failing_marks
from app.tasks.models import Task, TaskSource, TaskStatus

VISIT_OVERDUE_DAYS = 30  # a visit overdue by more than this puts the child forward

REVIEW_DATE = "review_date"
SERIOUS_INCIDENT = "serious_incident"
NEW_PLACEMENT = "new_placement"
VISIT_OVERDUE = "visit_overdue"
LOW_ATTENDANCE = "low_attendance"
FAILING_MARK = "failing_mark"
OVERDUE_ACTION = "overdue_action"

# TRANSLATORS: why a child is on the committee's list of children due for review; %(date)s is
# since when.
REASON_WORDS = {
    REVIEW_DATE: _l("Review date reached on %(date)s"),
    SERIOUS_INCIDENT: _l("A serious incident, reported on %(date)s"),
    NEW_PLACEMENT: _l("A new placement since %(date)s"),
    VISIT_OVERDUE: _l("A follow-up visit overdue since %(date)s"),
    LOW_ATTENDANCE: _l("Attendance under 85 %% over the four weeks since %(date)s"),
    FAILING_MARK: _l("A term mark of 2, entered on %(date)s"),
    OVERDUE_ACTION: _l("An action of the committee overdue since %(date)s"),
}


@dataclass(frozen=True)
class Reason:
    kind: str
    since: date

    def words(self, format_date) -> str:
        return str(REASON_WORDS[self.kind]) % {"date": format_date(self.since)}


@dataclass
class DueChild:
    child: Child
    since: date  # the earliest of the reasons
    reasons: list[Reason] = field(default_factory=list)


def _named(child_id, kind: str, since) -> Select:
    reason = literal_column(f"'{kind}'", String).label("reason")  # a constant of this module
    return select(child_id.label("child_id"), reason, since.label("since"))


def _followed(user: User) -> Select:
    """The followed children `user` reaches: in a caseload, and in the member's district."""
    reachable = access.reachable_child_ids(user)
    return select(caseload.c.child_id).where(caseload.c.child_id.in_(reachable))


def _interval(user: User) -> int:
    chosen = select(DistrictSetting.review_interval_months).where(
        DistrictSetting.district == (user.district or "")
    )
    return db.session.scalar(chosen) or DEFAULT_INTERVAL_MONTHS


def follow_up_began() -> ColumnElement[date]:
    """The day a child began to be followed, on the child: their first placement; without
    one, the day they were entered (the review cycle and the district's indicators)."""
    first_placement = (
        select(func.min(Placement.starts_on))
        .where(Placement.child_id == Child.id)
        .correlate(Child)
        .scalar_subquery()
    )
    return func.coalesce(first_placement, day_of(Child.created_at))


def _review_date(user: User, followed: Select, today: date) -> Select:
    began = follow_up_began()
    cycle = (
        select(Child.id.label("child_id"), began.label("began"), ChildReview.next_review_on)
        .outerjoin(ChildReview, ChildReview.child_id == Child.id)
        .where(Child.id.in_(followed))
        .subquery()
    )
    next_on = func.coalesce(cycle.c.next_review_on, add_months(cycle.c.began, _interval(user)))
    return _named(cycle.c.child_id, REVIEW_DATE, next_on).where(next_on <= today)


def _new_placement(followed: Select, today: date) -> Select:
    """A current placement that began after the latest decision; for a child never reviewed,
    one that is not their first (a change, not the start of the follow-up)."""
    earlier = aliased(Placement)
    changed = exists().where(
        earlier.child_id == Placement.child_id,
        earlier.id != Placement.id,
        earlier.starts_on <= Placement.starts_on,
    )
    reviewed = exists().where(ChildReview.child_id == Placement.child_id)
    return _named(Placement.child_id, NEW_PLACEMENT, Placement.starts_on).where(
        Placement.ends_on.is_(None),
        Placement.child_id.in_(followed),
        Placement.starts_on <= today,
        or_(reviewed, changed),
    )


def _visit_overdue(followed: Select, today: date) -> Select:
    due = visits_due(followed).subquery()
    limit = today - timedelta(days=VISIT_OVERDUE_DAYS)
    return _named(due.c.child_id, VISIT_OVERDUE, due.c.due_on).where(due.c.due_on < limit)


def _low_attendance(followed: Select, today: date) -> Select:
    low = low_attendance_counts(followed, today).subquery()
    since = literal(low_attendance_window_start(today), Date)
    return _named(low.c.child_id, LOW_ATTENDANCE, since)


def _failing_mark(followed: Select, today: date) -> Select:
    failing = failing_marks(followed, today).subquery()
    newest = func.max(day_of(failing.c.recorded_at))
    return _named(failing.c.child_id, FAILING_MARK, newest).group_by(failing.c.child_id)


def _serious_incident(district: Select) -> Select:
    items = open_review_items(district).subquery()
    return _named(items.c.child_id, SERIOUS_INCIDENT, day_of(items.c.added_at))


def _overdue_action(district: Select, today: date) -> Select:
    """The committee's actions still open past their date: the status their tasks hold (a
    corrected decision's tasks are carried over or withdrawn, so none is counted twice)."""
    return _named(Task.child_id, OVERDUE_ACTION, Task.due_on).where(
        Task.source == TaskSource.DECISION,
        Task.status == TaskStatus.OPEN,
        Task.due_on < today,
        Task.child_id.in_(district),
    )


def reasons(user: User, today: date) -> Select:
    """(child id, reason, since) of every reason that puts one of `user`'s district's children
    forward now: a review date reached, or a reason dated after the child's latest decision."""
    followed = _followed(user)
    district = access.reachable_child_ids(user)
    every = union_all(
        _review_date(user, followed, today),
        _serious_incident(district),
        _new_placement(followed, today),
        _visit_overdue(followed, today),
        _low_attendance(followed, today),
        _failing_mark(followed, today),
        _overdue_action(district, today),
    ).subquery("due_reason")
    since = every.c.since
    return (
        select(every.c.child_id, every.c.reason, since)
        .outerjoin(ChildReview, ChildReview.child_id == every.c.child_id)
        .where(
            or_(
                every.c.reason == REVIEW_DATE,
                ChildReview.decided_on.is_(None),
                and_(since.is_not(None), since > ChildReview.decided_on),
            )
        )
    )


def _per_child(user: User, today: date, leaving_out: Select | None) -> Select:
    found = reasons(user, today)
    if leaving_out is not None:
        found = found.where(found.selected_columns.child_id.not_in(leaving_out))
    found = found.subquery()
    return select(found.c.child_id, func.min(found.c.since).label("since")).group_by(
        found.c.child_id
    )


def due_page(
    user: User, today: date, number: int, leaving_out: Select | None = None
) -> Page[DueChild]:
    """Page `number` of the children due, those waiting longest first; eight queries however
    long the list (the district's interval, twice; the count; the page; its children with
    their classes and schools; their reasons).
    `leaving_out`: a SELECT of child ids not to list (a meeting's agenda)."""
    per_child = _per_child(user, today, leaving_out)
    ordered = per_child.order_by("since", "child_id")

    def read(limit: int, offset: int) -> list[DueChild]:
        rows = db.session.execute(ordered.limit(limit).offset(offset)).all()
        return _due_children(user, today, [(child_id, since) for child_id, since in rows])

    return paging.paged(per_child, number, read)


def _due_children(user: User, today: date, rows: list[tuple]) -> list[DueChild]:
    ids = [child_id for child_id, _since in rows]
    children = children_by_id(ids)
    found = reasons_of(user, today, ids)
    return [
        DueChild(children[child_id], since, found.get(child_id, []))
        for child_id, since in rows
        if child_id in children
    ]


def children_by_id(ids: list[uuid.UUID]) -> dict[uuid.UUID, Child]:
    """The children with their classes and schools: three queries."""
    if not ids:
        return {}
    statement = (
        select(Child)
        .where(Child.id.in_(ids))
        .options(selectinload(Child.school_class).selectinload(SchoolClass.school))
    )
    return {child.id: child for child in db.session.scalars(statement)}


def reasons_of(user: User, today: date, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Reason]]:
    """The reasons each of these children is due now, oldest first: one query."""
    if not ids:
        return {}
    found = reasons(user, today).subquery()
    rows = db.session.execute(
        select(found.c.child_id, found.c.reason, found.c.since)
        .where(found.c.child_id.in_(ids))
        .order_by(found.c.since)
    )
    result: dict[uuid.UUID, list[Reason]] = {}
    for child_id, kind, since in rows:
        result.setdefault(child_id, []).append(Reason(kind, since))
    return result
