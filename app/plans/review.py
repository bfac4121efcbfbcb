"""The education plan and language support on a child's review summary (children/review.py):
the plan's goals and their status as they stand, the plan's reviews since the last review and
the language level of each term of the period. Three statements for any number of rows."""

from datetime import date

from sqlalchemy import select

from app.attendance.models import Term
from app.children.models import Child
from app.extensions import db
from app.plans import checks
from app.plans.models import (
    LEVEL_DESCRIPTIONS,
    Area,
    EducationPlan,
    LanguageLevel,
    PlanGoal,
    PlanReview,
)


def plan_part(child: Child, since: date) -> dict:
    year = checks.school_year()
    goals = db.session.scalars(
        select(PlanGoal)
        .join(EducationPlan, EducationPlan.id == PlanGoal.plan_id)
        .where(EducationPlan.child_id == child.id, EducationPlan.academic_year == year)
    )
    by_area = {goal.area: goal for goal in goals}
    reviews = db.session.execute(
        select(PlanReview, Term.number)
        .join(EducationPlan, EducationPlan.id == PlanReview.plan_id)
        .join(Term, Term.id == PlanReview.term_id)
        .where(EducationPlan.child_id == child.id, PlanReview.reviewed_on >= since)
        .order_by(PlanReview.reviewed_on)
    )
    levels = db.session.execute(
        select(LanguageLevel.level, Term.number)
        .join(Term, Term.id == LanguageLevel.term_id)
        .where(LanguageLevel.child_id == child.id, Term.ends_on >= since)
        .order_by(Term.starts_on)
    )
    return {
        "goals": [(area, by_area[area]) for area in Area if area in by_area],
        "reviews": list(reviews),
        "levels": list(levels),
        "descriptions": LEVEL_DESCRIPTIONS,
    }
