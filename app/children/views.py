"""A child's page, a social worker's caseload and a committee member's district."""

import uuid

from flask import Blueprint, g, make_response, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.attendance.calendar import academic_year_start
from app.auth.models import Role
from app.auth.permissions import role_required
from app.casework.conflicts import caseload_conflicts
from app.casework.due import NO_PLACEMENT, caseload_due
from app.children import access
from app.children.alerts import alerts_for
from app.children.models import Child, SchoolClass
from app.children.page import render_child_page
from app.children.timeline import timeline
from app.core import clock
from app.core.audit import audit
from app.core.loading import load
from app.extensions import db
from app.i18n.collation import name_key
from app.i18n.locale import current_language
from app.pwa.client import RESTRICTED_HEADER

bp = Blueprint("children", __name__, template_folder="templates")


@bp.get("/children/<uuid:child_id>")
@role_required(*access.RECORD_ROLES)
def child(child_id: uuid.UUID):
    child = load(Child, child_id, access.may_open)
    audit("view", "child", child.id)
    page = render_child_page(child)
    db.session.commit()
    return page


@bp.get("/children/<uuid:child_id>/timeline")
@role_required(*access.RECORD_ROLES)
def child_timeline(child_id: uuid.UUID):
    child = load(Child, child_id, access.may_open)
    today = clock.today()
    since = academic_year_start(today)
    items = timeline(current_user, child, since)
    audit("view_timeline", "child", child.id)
    page = make_response(
        render_template("children/timeline.html", child=child, items=items, since=since)
    )
    if any(item.restricted for item in items):
        page.headers[RESTRICTED_HEADER] = "1"  # the service worker keeps no copy of it
    db.session.commit()
    return page


@bp.get("/caseload")
@role_required(Role.SOCIAL_WORKER)
def caseload():
    """The caseload by next visit due: overdue first, then the soonest; children with no
    placement recorded last."""
    today = clock.today()
    due = caseload_due(current_user)
    g.overdue_visits = sum(d.overdue(today) for d in due.values())  # the header's count
    children = _reachable_children()  # by name: the order among equal due dates
    rows = [(child, due.get(child.id) or NO_PLACEMENT) for child in children]
    rows.sort(key=lambda row: (row[1].due_on is None, row[1].due_on or today))
    return render_template(
        "children/caseload.html",
        rows=rows,
        today=today,
        overdue=g.overdue_visits,
        decisions=caseload_conflicts(current_user),
        alerts=alerts_for(current_user, today),
    )


@bp.get("/district")
@role_required(Role.COMMITTEE_MEMBER)
def district():
    return render_template(
        "children/district.html", children=_reachable_children(), district=current_user.district
    )


def _reachable_children() -> list[Child]:
    statement = (
        select(Child)
        .where(Child.id.in_(access.reachable_child_ids(current_user)))
        .options(selectinload(Child.school_class).selectinload(SchoolClass.school))
    )
    return sorted(db.session.scalars(statement), key=name_key(current_language()))
