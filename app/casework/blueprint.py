"""The casework blueprint and the access checks its views share."""

import uuid

from flask import Blueprint
from flask_login import current_user

from app.casework.models import VisitReport
from app.children import access
from app.core.audit import refuse
from app.extensions import db

bp = Blueprint("casework", __name__, template_folder="templates")


def readable_report(report_id: uuid.UUID) -> VisitReport:
    """A report the current user may read: their caseload's, or their district's for the
    committee. Anyone else (teachers above all) gets 404."""
    report = db.session.get(VisitReport, report_id)
    reachable = (
        report is not None
        and access.sees_background(current_user)
        and access.can_reach(current_user, report.child_id)
    )
    if not reachable:
        refuse("visit_report", report_id)
    return report


def writable_report(report_id: uuid.UUID) -> VisitReport:
    report = db.session.get(VisitReport, report_id)
    if report is None or not access.is_case_worker(current_user, report.child_id):
        refuse("visit_report", report_id)
    return report
