"""The page where the child's social worker settles a visit report's conflicts."""

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role
from app.auth.permissions import role_required
from app.casework import conflicts
from app.casework.blueprint import bp, writable_report
from app.casework.models import CHECKS
from app.core.audit import audit, refuse
from app.core.errors import InvalidInput
from app.core.numbers import whole_number
from app.extensions import db
from app.pwa.client import RESTRICTED_HEADER


@bp.get("/visits/<uuid:report_id>/conflicts")
@role_required(Role.SOCIAL_WORKER)
def visit_conflicts(report_id: uuid.UUID):
    report = writable_report(report_id)
    audit("view", "visit_report", report.id)
    audit("view_visit_report", "child", report.child_id)
    page = _page(report)
    db.session.commit()
    return page


@bp.post("/visits/<uuid:report_id>/conflicts")
@role_required(Role.SOCIAL_WORKER)
def resolve_conflict(report_id: uuid.UUID):
    """Settle one conflict (named in the form) of the report."""
    report = writable_report(report_id)
    conflict_id = whole_number(request.form.get("conflict"))
    conflict = conflicts.conflict_of(report, conflict_id) or refuse("sync_conflict", conflict_id)
    names = [choice.name for choice in conflicts.choices_of(conflict)]
    allowed = {f"field-{name}" for name in names} | {"csrf_token", "conflict"}
    if set(request.form) - allowed:
        raise InvalidInput(_("This form was sent with something it does not take."), status=400)
    choices = {name: request.form.get(f"field-{name}", "") for name in names}
    try:
        conflicts.resolve(report, conflict, choices, current_user)
    except InvalidInput as error:
        db.session.rollback()
        return _page(report, error.status, str(error.message))
    audit("resolve_conflict", "visit_report", report.id)
    audit("visit_report_change", "child", report.child_id)
    db.session.commit()
    flash(_("Your choice is saved."), "success")
    if conflicts.open_conflicts(report.id):
        return redirect(url_for("casework.visit_conflicts", report_id=report.id), code=303)
    return redirect(url_for("casework.visit", report_id=report.id), code=303)


def _page(report, status: int = 200, error: str | None = None):
    open_ones = [(c, conflicts.choices_of(c)) for c in conflicts.open_conflicts(report.id)]
    page = render_template(
        "casework/conflicts.html", report=report, open_ones=open_ones, checks=CHECKS, error=error
    )
    return page, status, {RESTRICTED_HEADER: "1"}
