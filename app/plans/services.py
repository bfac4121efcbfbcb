"""Education plans: reading a child's plan, changing an area's goal (a change made meanwhile by
someone else is a conflict, never overwritten; the replaced values go to the history) and
adding a term's review. Writes flush only."""

import uuid
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.attendance.models import Term
from app.auth.models import User
from app.children.models import Child
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.models import utcnow
from app.extensions import db
from app.plans import checks
from app.plans.models import (
    GIVEN_BY_MAX,
    GOAL_MAX,
    REVIEW_MAX,
    SUPPORT_MAX,
    Area,
    EducationPlan,
    GoalStatus,
    PlanGoal,
    PlanGoalHistory,
    PlanReview,
)


class EditConflict(Exception):
    """Someone else saved this area's goal since the form was opened; nothing was written."""


@dataclass(frozen=True)
class GoalValues:
    goal: str
    support: str
    given_by: str
    target_term: int
    status: GoalStatus


def area_of(raw: str) -> Area:
    try:
        return Area(raw)
    except ValueError as error:
        raise InvalidInput(_l("There is no such area in an education plan."), status=404) from error


def goal_values(
    goal: str | None, support: str | None, given_by: str | None, target_term, status
) -> GoalValues:
    """The checked values of an area's goal."""
    try:
        chosen = GoalStatus(status or "")
    except ValueError as error:
        raise InvalidInput(_l("Choose a status from the list.")) from error
    return GoalValues(
        goal=checks.text(goal, GOAL_MAX, _l("Write the goal: a status belongs to a goal.")),
        support=checks.text(support, SUPPORT_MAX),
        given_by=checks.text(given_by, GIVEN_BY_MAX),
        target_term=checks.in_range(
            target_term, 1, 4, _l("The target term is a term from 1 to 4.")
        ),
        status=chosen,
    )


def plan_of(child_id: uuid.UUID, year: str) -> EducationPlan | None:
    """The child's plan for `year`, its goals and reviews loaded (three statements)."""
    return db.session.scalar(
        select(EducationPlan)
        .where(EducationPlan.child_id == child_id, EducationPlan.academic_year == year)
        .options(
            selectinload(EducationPlan.goals).selectinload(PlanGoal.history),
            selectinload(EducationPlan.reviews),
        )
    )


def goals_by_area(plan: EducationPlan | None) -> dict[Area, PlanGoal]:
    return {goal.area: goal for goal in plan.goals} if plan else {}


def _plan_for_writing(child: Child, year: str, user: User) -> EducationPlan:
    plan = db.session.scalar(
        select(EducationPlan).where(
            EducationPlan.child_id == child.id, EducationPlan.academic_year == year
        )
    )
    if plan is None:
        plan = EducationPlan(child_id=child.id, academic_year=year, created_by_id=user.id)
        db.session.add(plan)
        db.session.flush()
    return plan


def save_goal(
    child: Child, year: str, area: Area, user: User, version: int, values: GoalValues
) -> PlanGoal:
    """Set the area's goal as the teacher saw it at `version` (0: there was none). Someone
    else's save meanwhile raises EditConflict; an unchanged goal writes nothing."""
    checks.writable(child)
    try:
        plan = _plan_for_writing(child, year, user)
        current = db.session.scalar(
            select(PlanGoal).where(PlanGoal.plan_id == plan.id, PlanGoal.area == area)
        )
        if (current.version if current else 0) != version:
            raise EditConflict()
        if current is not None and _same(current, values):
            return current
        if current is None:
            current = PlanGoal(plan_id=plan.id, area=area)
        else:
            _keep_history(current, user)
        for name, value in values.__dict__.items():
            setattr(current, name, value)
        current.updated_by_id, current.updated_at = user.id, utcnow()
        db.session.add(current)
        db.session.flush()
    except (IntegrityError, StaleDataError) as error:  # saved by someone else this instant
        raise EditConflict() from error
    audit("plan_write", "child", child.id)
    return current


def _same(goal: PlanGoal, values: GoalValues) -> bool:
    return all(getattr(goal, name) == value for name, value in values.__dict__.items())


def _keep_history(goal: PlanGoal, user: User) -> None:
    db.session.add(
        PlanGoalHistory(
            goal_id=goal.id,
            version=goal.version,
            goal=goal.goal,
            support=goal.support,
            given_by=goal.given_by,
            target_term=goal.target_term,
            status=goal.status,
            updated_by_id=goal.updated_by_id,
            updated_at=goal.updated_at,
            replaced_by_id=user.id,
        )
    )


def add_review(
    review_id: uuid.UUID,
    child: Child,
    year: str,
    term: Term,
    reviewed_on: date,
    note: str | None,
    user: User,
    today: date,
) -> PlanReview:
    """Add a term's review note (once: the same form sent again adds nothing)."""
    checks.writable(child)
    note = checks.text(note, REVIEW_MAX, _l("Write what the review found."))
    if reviewed_on > today:
        raise InvalidInput(_l("A review cannot be dated in the future."))
    if reviewed_on < term.starts_on:
        raise InvalidInput(_l("A term's review is dated on or after the day the term began."))
    existing = db.session.get(PlanReview, review_id)
    plan = _plan_for_writing(child, year, user)
    if existing is not None:
        if existing.plan_id != plan.id:
            raise InvalidInput(checks.DAMAGED, status=400)
        return existing
    review = PlanReview(
        id=review_id,
        plan_id=plan.id,
        term_id=term.id,
        reviewed_on=reviewed_on,
        note=note,
        author_id=user.id,
    )
    db.session.add(review)
    db.session.flush()
    audit("plan_write", "child", child.id)
    return review
