"""A child's page."""

import uuid

from babel import Locale
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.attendance.calendar import load_calendar
from app.attendance.models import Status
from app.attendance.services import term_attendance
from app.children.services import child_for
from app.core import clock
from app.core.audit import audit
from app.core.audit_history import record_history
from app.extensions import db
from app.i18n.locale import current_language

bp = Blueprint("children", __name__, template_folder="templates")


@bp.get("/children/<uuid:child_id>")
@login_required
def child(child_id: uuid.UUID):
    child = child_for(current_user, child_id)
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
        history=_history(child),
    )
    db.session.commit()
    return page


def _history(child) -> list:
    """Who viewed or changed the child: shown to committee members only."""
    if current_user.role.value != "committee_member":
        return []
    return record_history("child", child.id)
