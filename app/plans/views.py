"""A child's education plan: reading it, changing an area's goal (a change made meanwhile
answers 409 with what is stored now) and adding a term's review."""

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.permissions import role_required, teacher_required
from app.children import access
from app.children.models import Child
from app.core import clock
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.loading import load
from app.extensions import db
from app.plans import checks, services
from app.plans.blueprint import bp
from app.plans.forms import GoalForm, ReviewForm
from app.plans.models import Area, PlanGoal

STALE = _l(
    "Someone else saved this goal while you were editing it. Nothing was overwritten: what "
    "is stored now is shown below and your changes are still in the form. Compare them and "
    "save again."
)


@bp.get("/children/<uuid:child_id>/plan")
@role_required(*access.RECORD_ROLES)
def plan(child_id: uuid.UUID):
    child = load(Child, child_id, access.may_open)
    audit("view_plan", "child", child.id)
    page = _plan_page(child)
    db.session.commit()
    return page


@bp.route("/children/<uuid:child_id>/plan/<area>", methods=["GET", "POST"])
@teacher_required
def goal(child_id: uuid.UUID, area: str):
    child = load(Child, child_id, checks.writes_plan)
    chosen = services.area_of(area)
    year = checks.school_year()
    current = services.goals_by_area(services.plan_of(child.id, year)).get(chosen)
    if request.method == "GET":
        audit("view_plan", "child", child.id)
        page = _goal_page(child, chosen, filled_form(current), current)
        db.session.commit()
        return page
    form = GoalForm()
    form.validate()  # refuses a field the form does not take (400); the values are checked below
    try:
        values = services.goal_values(
            form.goal.data,
            form.support.data,
            form.given_by.data,
            form.target_term.data,
            form.status.data,
        )
        version = checks.whole_number(form.version.data, checks.DAMAGED)
        services.save_goal(child, year, chosen, current_user, version, values)
    except services.EditConflict:
        return _stale(child, chosen, year, form)
    except InvalidInput as error:
        db.session.rollback()
        return _goal_page(child, chosen, form, current, error.status, str(error.message))
    db.session.commit()
    flash(_("The education plan is saved."), "success")
    return redirect(url_for(".plan", child_id=child.id), code=303)


@bp.post("/children/<uuid:child_id>/plan/reviews")
@teacher_required
def review(child_id: uuid.UUID):
    child = load(Child, child_id, checks.writes_plan)
    form = ReviewForm()
    form.validate()
    today = clock.today()
    year = checks.school_year()
    try:
        review_id = checks.client_id(form.review_id.data)
        term = checks.begun_term(year, form.term.data, today)
        reviewed_on = checks.day(form.reviewed_on.data)
        services.add_review(
            review_id, child, year, term, reviewed_on, form.note.data, current_user, today
        )
    except InvalidInput as error:
        db.session.rollback()
        return _plan_page(child, form, error.status, str(error.message))
    db.session.commit()
    flash(_("The review is added to the plan."), "success")
    return redirect(url_for(".plan", child_id=child.id), code=303)


def _plan_page(child: Child, review_form=None, status: int = 200, error: str | None = None):
    year = checks.school_year()
    plan = services.plan_of(child.id, year)
    can_write = checks.may_write(current_user, child)
    if can_write and review_form is None:
        review_form = blank_review_form(year)
    page = render_template(
        "plans/plan.html",
        child=child,
        plan=plan,
        goals=services.goals_by_area(plan),
        areas=list(Area),
        terms={term.id: term.number for term in checks.terms_of(year)},
        can_write=can_write,
        review_form=review_form,
        error=error,
    )
    return page, status


def blank_review_form(year: str) -> ReviewForm:
    today = clock.today()
    begun = [term for term in checks.terms_of(year) if term.starts_on <= today]
    form = ReviewForm(formdata=None, review_id=str(uuid.uuid4()), reviewed_on=today.isoformat())
    form.term.data = str(begun[-1].number) if begun else "1"
    return form


def filled_form(goal: PlanGoal | None) -> GoalForm:
    """The form filled with what is stored, at the stored version (0 and blank: none yet)."""
    if goal is None:
        form = GoalForm(formdata=None, version="0")
        form.status.data = "not_started"
        return form
    form = GoalForm(formdata=None, obj=goal)
    form.version.data = str(goal.version)
    form.target_term.data = str(goal.target_term)
    form.status.data = goal.status.value
    return form


def _stale(child: Child, area: Area, year: str, form: GoalForm):
    """What is stored now is shown; the person's input stays in the form, now based on the
    stored version, so saving again is a decision made with both in view."""
    db.session.rollback()
    stored = services.goals_by_area(services.plan_of(child.id, year)).get(area)
    form.version.data = str(stored.version if stored else 0)
    return _goal_page(child, area, form, stored, 409, str(STALE), stale=True)


def _goal_page(child, area, form, current, status=200, error=None, stale=False):
    page = render_template(
        "plans/goal.html",
        child=child,
        area=area,
        form=form,
        current=current,
        error=error,
        stale=stale,
    )
    return page, status
