"""A child's page and timeline, and a committee member's district."""

import uuid

from flask import Blueprint, make_response, render_template, request
from flask_login import current_user

from app.auth.models import Role
from app.auth.permissions import role_required
from app.children import access
from app.children.models import Child
from app.children.page import render_child_page
from app.children.review import render_review_summary
from app.children.services import reachable_children_page
from app.children.timeline import timeline
from app.core import clock
from app.core.audit import audit
from app.core.loading import load
from app.core.paging import page_number
from app.core.security import RESTRICTED_HEADER
from app.extensions import db
from app.i18n.locale import current_language

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
    since = clock.academic_year_start(today)
    items = timeline(current_user, child, since)
    audit("view_timeline", "child", child.id)
    page = make_response(
        render_template("children/timeline.html", child=child, items=items, since=since)
    )
    if any(item.restricted for item in items):
        page.headers[RESTRICTED_HEADER] = "1"  # the service worker keeps no copy of it
    db.session.commit()
    return page


@bp.get("/children/<uuid:child_id>/review")
@role_required(*access.BACKGROUND_ROLES)
def review_summary(child_id: uuid.UUID):
    """What happened since the last review: casework, so teachers and administrators get 404."""
    child = load(Child, child_id, access.may_open)
    audit("view_review_summary", "child", child.id)
    page = render_review_summary(child)
    db.session.commit()
    return page


@bp.get("/district")
@role_required(Role.COMMITTEE_MEMBER)
def district():
    """The district's children, a page at a time (?page=2: a number, nothing personal)."""
    number = page_number(request.args.get("page", "1"))
    page = reachable_children_page(current_user, current_language(), number)
    return render_template("children/district.html", page=page, district=current_user.district)
