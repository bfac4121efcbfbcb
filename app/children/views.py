"""A child's page, a social worker's caseload and a committee member's district."""

import uuid

from babel import Locale
from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.attendance.calendar import load_calendar
from app.attendance.models import Status
from app.attendance.services import term_attendance
from app.auth.models import Role
from app.auth.permissions import role_required
from app.children import access
from app.children.models import Child, SchoolClass
from app.core import clock
from app.core.audit import audit
from app.core.audit_history import record_history
from app.extensions import db
from app.i18n.collation import name_key
from app.i18n.locale import current_language

bp = Blueprint("children", __name__, template_folder="templates")


@bp.get("/children/<uuid:child_id>")
@role_required(*access.RECORD_ROLES)
def child(child_id: uuid.UUID):
    child = access.reachable_child(current_user, child_id)
    attendance = term_attendance(child, load_calendar(), clock.today())
    audit("view", "child", child.id)
    lang = current_language()
    languages = [Locale.parse(code).get_display_name(lang) for code in child.home_language_codes]
    page = render_template(
        "children/child.html",
        child=child,
        attendance=attendance,
        statuses=list(Status),
        home_languages=languages,
        restricted=_shows_restricted(),
        history=_history(child),
    )
    db.session.commit()
    return page


def _shows_restricted() -> bool:
    """The background is for the social worker and the committee, on screen only: a copy the
    app keeps on a phone for offline use never holds it."""
    offline_copy = request.headers.get("X-Qadam-Purpose") == "offline-copy"
    return access.sees_background(current_user) and not offline_copy


@bp.get("/caseload")
@role_required(Role.SOCIAL_WORKER)
def caseload():
    return render_template("children/caseload.html", children=_reachable_children())


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


def _history(child) -> list:
    """Who viewed or changed the child: shown to committee members only."""
    if current_user.role.value != "committee_member":
        return []
    return record_history("child", child.id)
