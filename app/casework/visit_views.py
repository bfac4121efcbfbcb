"""Visit reports online: a new report, reading one, editing one (a stale edit answers 409).

The new-report form is also kept on the social worker's phone for offline use: it holds the
child's name and the form, nothing of the background or the placement.
"""

import uuid

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.models import Role
from app.auth.permissions import role_required
from app.casework import visits
from app.casework.blueprint import bp, readable_report, writable_report
from app.casework.conflicts import open_conflicts
from app.casework.forms import DAMAGED, VisitReportForm
from app.casework.models import CHECKS, VisitReport
from app.children import access
from app.children.models import Child
from app.core import clock
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.loading import load
from app.extensions import db
from app.pwa.client import RESTRICTED_HEADER

STALE = _l(
    "Someone else saved this report while you were editing it. Nothing was overwritten: "
    "their version is shown below and yours is still in the form. Compare them and save again."
)


@bp.route("/children/<uuid:child_id>/visits/new", methods=["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def new_visit(child_id: uuid.UUID):
    child = load(Child, child_id, access.in_caseload)
    form = VisitReportForm()
    if not form.is_submitted():
        blank = VisitReportForm(formdata=None, report_id=str(uuid.uuid4()), version="0")
        blank.visited_on.data = clock.today()
        audit("view_visit_form", "child", child.id)  # "offline_copy" when saved on a phone
        page = render_template(
            "casework/visit_form.html",
            child=child,
            form=blank,
            report=None,
            checks=CHECKS,
            fields=visits.FIELDS,
        )
        db.session.commit()
        return page
    try:
        values = visits.check(form, clock.today())
        report_id = uuid.UUID(form.report_id.data)
        existing = db.session.get(VisitReport, report_id)
        if existing is not None:  # the same form sent twice: one report
            if existing.child_id != child.id:
                raise InvalidInput(DAMAGED)
            return redirect(url_for("casework.visit", report_id=existing.id), code=303)
        report = visits.create_report(report_id, child, current_user, values)
    except InvalidInput as error:
        db.session.rollback()
        return _form(child, form, None, error.status, str(error.message))
    audit("create", "visit_report", report.id)
    audit("visit_report_create", "child", child.id)
    db.session.commit()
    flash(_("The visit report is saved."), "success")
    return redirect(url_for("casework.visit", report_id=report.id), code=303)


@bp.get("/visits/<uuid:report_id>")
@role_required(Role.SOCIAL_WORKER, Role.COMMITTEE_MEMBER)
def visit(report_id: uuid.UUID):
    report = readable_report(report_id)
    can_edit = access.is_case_worker(current_user, report.child_id)
    conflicts = open_conflicts(report.id) if can_edit else []
    audit("view", "visit_report", report.id)
    audit("view_visit_report", "child", report.child_id)
    page = render_template(
        "casework/visit.html", report=report, checks=CHECKS, can_edit=can_edit, conflicts=conflicts
    )
    db.session.commit()
    return page, 200, {RESTRICTED_HEADER: "1"}


@bp.route("/visits/<uuid:report_id>/edit", methods=["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def edit_visit(report_id: uuid.UUID):
    report = writable_report(report_id)
    form = VisitReportForm()
    if not form.is_submitted():
        audit("view", "visit_report", report.id)
        audit("view_visit_report", "child", report.child_id)
        page = _form(report.child, filled_form(report), report)
        db.session.commit()
        return page
    try:
        values = visits.check(form, clock.today())
        if form.report_id.data != str(report.id):
            raise InvalidInput(DAMAGED)
        visits.edit_report(report, current_user, int(form.version.data), values)
    except visits.EditConflict:
        return _stale(report, form)
    except InvalidInput as error:
        db.session.rollback()
        return _form(report.child, form, report, error.status, str(error.message))
    audit("change", "visit_report", report.id)
    audit("visit_report_change", "child", report.child_id)
    db.session.commit()
    flash(_("The visit report is saved."), "success")
    return redirect(url_for("casework.visit", report_id=report.id), code=303)


def filled_form(report: VisitReport) -> VisitReportForm:
    """The form filled with what is saved, at the saved version, with two blank action rows."""
    form = VisitReportForm(formdata=None, obj=report, report_id=str(report.id))
    form.version.data = str(report.version)
    for name in CHECKS:
        rating = report.rating(name)
        form[f"{name}_rating"].data = rating.value if rating else ""
    form.kind.data = report.kind.value
    form.outcome.data = report.outcome.value
    while len(form.actions):
        form.actions.pop_entry()
    for action in report.actions:
        values = {"what": action.what, "who": action.who, "by_when": action.by_when}
        form.actions.append_entry(values)
    for _blank in range(2):
        form.actions.append_entry()
    return form


def _stale(report: VisitReport, form: VisitReportForm):
    """Their version is saved and shown; the person's input stays in the form, now based on
    the saved version, so saving again is a decision made with both in view."""
    db.session.rollback()
    db.session.refresh(report)
    form.version.data = str(report.version)
    return _form(report.child, form, report, 409, str(STALE), saved=report)


def _form(child, form, report, status: int = 200, error: str | None = None, saved=None):
    page = render_template(
        "casework/visit_form.html",
        child=child,
        form=form,
        report=report,
        error=error,
        saved=saved,
        checks=CHECKS,
        fields=visits.FIELDS,
    )
    headers = {RESTRICTED_HEADER: "1"} if report is not None else {}
    return page, status, headers
