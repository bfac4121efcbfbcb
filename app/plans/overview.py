"""Plans and language support on a child's page and timeline, and the social worker's alert
about a language level that has not moved for two terms."""

import uuid
from collections import defaultdict
from datetime import date

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.attendance.models import Term
from app.auth.models import User
from app.children.access import reachable_child_ids
from app.children.alerts import Alert
from app.children.models import Child
from app.children.timeline import Item
from app.core import clock
from app.extensions import db
from app.plans import checks, language
from app.plans.models import (
    LEVEL_DESCRIPTIONS,
    TOP_LEVEL,
    Area,
    EducationPlan,
    LanguageLevel,
    PlanGoal,
    PlanReview,
)


def child_section(child: Child) -> dict:
    """This school year's plan (each area's goal and status), the language level in each term
    and this term's support sessions: the same five statements for any number of rows."""
    year = checks.school_year()
    terms = checks.terms_of(year)
    goals = db.session.scalars(
        select(PlanGoal)
        .join(EducationPlan, EducationPlan.id == PlanGoal.plan_id)
        .where(EducationPlan.child_id == child.id, EducationPlan.academic_year == year)
    )
    by_area = {goal.area: goal for goal in goals}
    last_review = db.session.scalar(
        select(PlanReview.reviewed_on)
        .join(EducationPlan, EducationPlan.id == PlanReview.plan_id)
        .where(EducationPlan.child_id == child.id, EducationPlan.academic_year == year)
        .order_by(PlanReview.reviewed_on.desc())
        .limit(1)
    )
    levels = db.session.execute(
        select(LanguageLevel.level, Term.number)
        .join(Term, Term.id == LanguageLevel.term_id)
        .where(LanguageLevel.child_id == child.id, Term.academic_year == year)
    )
    term = language.term_of_day(terms, clock.today())
    sessions, minutes = language.term_totals(child.id, term)
    return {
        "goals": [(area, by_area[area]) for area in Area if area in by_area],
        "last_review": last_review,
        "levels": {number: level for level, number in levels},
        "terms": [t.number for t in terms if t.starts_on <= clock.today()],
        "descriptions": LEVEL_DESCRIPTIONS,
        "term": term,
        "sessions": sessions,
        "minutes": minutes,
        "can_write": checks.may_write(current_user, child),
    }


def plan_reviews(viewer: User, child: Child, since: date) -> list[Item]:
    """Each term review of the plan, on its date, for everyone who may open the page."""
    rows = db.session.execute(
        select(PlanReview, Term.number)
        .join(EducationPlan, EducationPlan.id == PlanReview.plan_id)
        .join(Term, Term.id == PlanReview.term_id)
        .where(EducationPlan.child_id == child.id, PlanReview.reviewed_on >= since)
    )
    url = url_for("plans.plan", child_id=child.id)
    return [
        Item(
            on=review.reviewed_on,
            kind="plan_review",
            title=str(_l("Education plan reviewed, term %(number)d", number=number)),
            details=(review.note,),
            url=url,
        )
        for review, number in rows
    ]


def language_levels(viewer: User, child: Child, since: date) -> list[Item]:
    """Each term's language level, on the day it was last recorded."""
    rows = db.session.execute(
        select(LanguageLevel, Term.number)
        .join(Term, Term.id == LanguageLevel.term_id)
        .where(LanguageLevel.child_id == child.id, Term.ends_on >= since)
    )
    url = url_for("plans.language_page", child_id=child.id)
    return [
        Item(
            on=level.recorded_at.date(),
            kind="language_level",
            title=str(
                _l(
                    "Language level, term %(number)d: %(level)d of 5",
                    number=number,
                    level=level.level,
                )
            ),
            details=(level.description,),
            url=url,
        )
        for level, number in rows
    ]


def _next_year(year: str) -> str:
    start = int(year[:4]) + 1
    return f"{start}-{start + 1}"


def _consecutive(earlier: tuple[str, int], later: tuple[str, int]) -> bool:
    (year, number), (next_year, next_number) = earlier, later
    if year == next_year:
        return next_number == number + 1
    return next_year == _next_year(year) and (number, next_number) == (4, 1)


def unchanged_level(user: User, today: date) -> list[Alert]:
    """Children of the caseload whose two latest recorded levels, in two terms running, are the
    same and below the top: one statement for the whole caseload."""
    this_year = clock.academic_year_of(today)
    last_year = f"{int(this_year[:4]) - 1}-{this_year[:4]}"
    rows = db.session.execute(
        select(LanguageLevel.child_id, LanguageLevel.level, Term.academic_year, Term.number)
        .add_columns(Child.family_name, Child.given_name)
        .join(Term, Term.id == LanguageLevel.term_id)
        .join(Child, Child.id == LanguageLevel.child_id)
        .where(
            LanguageLevel.child_id.in_(reachable_child_ids(user)),
            Term.academic_year.in_([last_year, this_year]),
        )
    )
    by_child: dict[uuid.UUID, dict[tuple[str, int], int]] = defaultdict(dict)
    names: dict[uuid.UUID, str] = {}
    for child_id, level, year, number, family_name, given_name in rows:
        by_child[child_id][year, number] = level
        names[child_id] = f"{family_name} {given_name}"
    alerts = []
    for child_id, levels in by_child.items():
        terms = sorted(levels)
        if len(terms) < 2 or not _consecutive(terms[-2], terms[-1]):
            continue
        before, last = levels[terms[-2]], levels[terms[-1]]
        if before == last < TOP_LEVEL:
            words = _l("the language level has stayed at %(level)d of 5 for two terms.", level=last)
            target = ("plans.language_page", {"child_id": child_id})
            alerts.append(
                Alert("language_level", child_id, names[child_id], last, target, words=words)
            )
    return sorted(alerts, key=lambda alert: (alert.value, alert.child_name))
