"""Next visit due for every child of a caseload, in one query."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, func, select

from app.auth.models import User
from app.casework.models import Placement, VisitReport
from app.casework.schedule import next_visit_due
from app.children.models import caseload
from app.core.sql_dates import add_months
from app.extensions import db


@dataclass(frozen=True)
class Due:
    placement: uuid.UUID | None  # None: no placement recorded
    due_on: date | None
    last_visit_on: date | None

    def overdue(self, today: date) -> bool:
        return self.due_on is not None and self.due_on < today


NO_PLACEMENT = Due(None, None, None)


def _latest_visits():
    return select(
        VisitReport.placement_id,
        VisitReport.visited_on,
        VisitReport.next_visit_on,
        func.row_number()
        .over(
            partition_by=VisitReport.placement_id,
            order_by=(VisitReport.visited_on.desc(), VisitReport.created_at.desc()),
        )
        .label("rank"),
    ).subquery()


def caseload_due(user: User) -> dict[uuid.UUID, Due]:
    """For each child in `user`'s caseload: their current placement's next visit due."""
    latest = _latest_visits()
    statement = (
        select(
            caseload.c.child_id,
            Placement.id,
            Placement.starts_on,
            Placement.monthly_months,
            Placement.then_every_months,
            latest.c.visited_on,
            latest.c.next_visit_on,
        )
        .select_from(caseload)
        .outerjoin(
            Placement, (Placement.child_id == caseload.c.child_id) & Placement.ends_on.is_(None)
        )
        .outerjoin(latest, (latest.c.placement_id == Placement.id) & (latest.c.rank == 1))
        .where(caseload.c.user_id == user.id)
    )
    result = {}
    for child_id, placement_id, starts_on, monthly, then, visited_on, agreed in db.session.execute(
        statement
    ):
        if placement_id is None:
            result[child_id] = NO_PLACEMENT
            continue
        due_on = next_visit_due(starts_on, monthly, then, visited_on, agreed)
        result[child_id] = Due(placement_id, due_on, visited_on)
    return result


def overdue_count(user: User, today: date) -> int:
    return sum(due.overdue(today) for due in caseload_due(user).values())


def visits_due(child_ids) -> Select:
    """(child id, day the next visit is due) of the current placements of `child_ids`: the
    rule of schedule.next_visit_due, in SQL, so a district's overdue visits are found in one
    query (tests/test_committee_due.py checks the two agree)."""
    latest = _latest_visits()
    monthly_phase = latest.c.visited_on < add_months(Placement.starts_on, Placement.monthly_months)
    after_last = case(
        (monthly_phase, add_months(latest.c.visited_on, 1)),
        else_=add_months(latest.c.visited_on, Placement.then_every_months),
    )
    due_on = case(
        (latest.c.next_visit_on.is_not(None), latest.c.next_visit_on),
        (latest.c.visited_on.is_(None), add_months(Placement.starts_on, 1)),
        else_=after_last,
    )
    return (
        select(Placement.child_id, due_on.label("due_on"))
        .outerjoin(latest, (latest.c.placement_id == Placement.id) & (latest.c.rank == 1))
        .where(Placement.ends_on.is_(None), Placement.child_id.in_(child_ids))
    )
