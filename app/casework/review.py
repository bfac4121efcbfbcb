"""Casework's parts of a child's review summary (children/review.py): the placement and its
caregivers, the visits done and missed, and the actions agreed at visits. Restricted: for the
child's social worker and the committee only."""

import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.casework.models import Placement, VisitAction, VisitReport
from app.casework.schedule import PlannedVisit, planned_visits
from app.children.models import Child
from app.core import clock
from app.core.audit import audit
from app.extensions import db
from app.tasks.models import Task, TaskStatus


def _placements_since(child_id: uuid.UUID, since: date) -> list[Placement]:
    """The placements the child lived in on or after `since`, the current one first."""
    statement = (
        select(Placement)
        .where(Placement.child_id == child_id)
        .where(or_(Placement.ends_on.is_(None), Placement.ends_on >= since))
        .order_by(Placement.starts_on.desc())
        .options(selectinload(Placement.caregivers), selectinload(Placement.social_worker))
    )
    return list(db.session.scalars(statement))


def placement_part(child: Child, since: date) -> dict:
    """The current placement with its caregivers, and the placements that began or ended since."""
    placements = _placements_since(child.id, since)
    for placement in placements:
        audit("view", "placement", placement.id)
    current = next((p for p in placements if p.ends_on is None), None)
    return {
        "current": current,
        "changes": [p for p in placements if p.starts_on >= since or p.ends_on is not None],
        "since": since,
    }


def visits_part(child: Child, since: date) -> dict:
    """The visit reports since `since`, and each visit the plan called for since then: done
    (on time or late), missed or overdue. Three statements, whatever the number of visits."""
    today = clock.today()
    placements = _placements_since(child.id, since)
    reports = list(
        db.session.scalars(
            select(VisitReport)
            .where(VisitReport.child_id == child.id)
            .order_by(VisitReport.visited_on, VisitReport.created_at)
        )
    )
    by_placement: dict[uuid.UUID, list[tuple[date, date | None]]] = defaultdict(list)
    for report in reports:
        if report.placement_id is not None:
            by_placement[report.placement_id].append((report.visited_on, report.next_visit_on))
    planned: list[PlannedVisit] = []
    for placement in placements:
        until = min(today, placement.ends_on) if placement.ends_on else today
        visits = by_placement[placement.id]
        plan = (placement.starts_on, placement.monthly_months, placement.then_every_months)
        planned += [v for v in planned_visits(*plan, visits, until) if v.due_on >= since]
    done = [report for report in reports if report.visited_on >= since]
    return {
        "reports": sorted(done, key=lambda report: report.visited_on, reverse=True),
        "planned": sorted(planned, key=lambda visit: visit.due_on),
        "missed": sum(visit.missed for visit in planned),
        "overdue": [v for v in planned if v.done_on is None and not v.missed],
    }


def actions_part(child: Child, since: date) -> dict:
    """The actions agreed at visits since `since`, or due since then, soonest first, each with
    what became of its task: done or blocked (with the note, who and when), still to do, or
    overdue. One statement."""
    rows = db.session.execute(
        select(VisitAction, VisitReport.visited_on, Task)
        .join(VisitReport, VisitReport.id == VisitAction.report_id)
        .outerjoin(Task, Task.id == VisitAction.task_id)
        .where(VisitReport.child_id == child.id)
        .where(or_(VisitReport.visited_on >= since, VisitAction.by_when >= since))
        .order_by(VisitAction.by_when.is_(None), VisitAction.by_when, VisitReport.visited_on)
        .order_by(VisitAction.position)
        .options(selectinload(Task.marked_by))
    )
    today = clock.today()
    actions = [
        {
            "what": action.what,
            "who": action.who,
            "by_when": action.by_when,
            "agreed_on": agreed_on,
            "task": task,
            # An action with no task (none is, but for rows written past the services) is open.
            "overdue": task.overdue(today) if task else _past(action.by_when, today),
        }
        for action, agreed_on, task in rows
    ]
    return {
        "actions": actions,
        "overdue": sum(action["overdue"] for action in actions),
        "done": sum(bool(a["task"]) and a["task"].status is TaskStatus.DONE for a in actions),
    }


def _past(day: date | None, today: date) -> bool:
    return day is not None and day < today
