"""What retention removes from a child's plan and language support: the free text (goals,
support, who gave it, review notes and session notes, current and earlier), which may name
the child or the people around them. The areas, statuses, terms, levels, dates and minutes
stay, so the counts remain."""

from sqlalchemy import select, update

from app.children.models import Child
from app.extensions import db
from app.plans.models import (
    EducationPlan,
    PlanGoal,
    PlanGoalHistory,
    PlanReview,
    SupportSession,
)

EMPTY = {"goal": "", "support": "", "given_by": ""}


def anonymise_plans(child: Child) -> None:
    plans = select(EducationPlan.id).where(EducationPlan.child_id == child.id)
    goals = select(PlanGoal.id).where(PlanGoal.plan_id.in_(plans))
    for statement in (
        update(PlanGoalHistory).where(PlanGoalHistory.goal_id.in_(goals)).values(**EMPTY),
        update(PlanGoal).where(PlanGoal.plan_id.in_(plans)).values(**EMPTY),
        update(PlanReview).where(PlanReview.plan_id.in_(plans)).values(note=""),
        update(SupportSession)
        .where(SupportSession.child_id == child.id)
        .values(note=None, with_whom=""),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))
