"""The committee's part of a child's review summary (children/review.py): its last decision,
with what was done about each action since (the actions' tasks: app/tasks)."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.children.models import Child
from app.committee.models import ChildReview, Decision, DecisionAction, Meeting
from app.core import clock
from app.extensions import db
from app.tasks.models import Task


def last_decision_part(child: Child, since: date) -> dict:
    """The decision standing for the child (the latest, corrections applied), its meeting's
    day, and its actions with their tasks. Two statements, whatever the number of actions."""
    statement = (
        select(Decision, Meeting.held_on)
        .join(ChildReview, ChildReview.decision_id == Decision.id)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(ChildReview.child_id == child.id)
        .options(
            selectinload(Decision.actions)
            .selectinload(DecisionAction.task)
            .selectinload(Task.marked_by)
        )
    )
    row = db.session.execute(statement).first()
    if row is None:
        return {"decision": None}
    decision, held_on = row
    return {"decision": decision, "held_on": held_on, "today": clock.today()}


def last_review(child: Child) -> date | None:
    """The day of the meeting whose decision stands for the child: the summary counts from it."""
    return db.session.scalar(select(ChildReview.decided_on).where(ChildReview.child_id == child.id))
