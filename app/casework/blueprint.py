"""The casework blueprint and the access checks its views share."""

import uuid

from flask import Blueprint

from app.auth.models import User
from app.casework.models import VisitReport
from app.children import access
from app.core.loading import load

bp = Blueprint("casework", __name__, template_folder="templates")


def may_read_report(user: User, report: VisitReport) -> bool:
    """Their caseload's report, or their district's for the committee; not a teacher's."""
    return access.sees_background(user) and access.can_reach(user, report.child_id)


def may_write_report(user: User, report: VisitReport) -> bool:
    return access.is_case_worker(user, report.child_id)


def readable_report(report_id: uuid.UUID) -> VisitReport:
    """A report the current user may read; anyone else gets 404 (audited)."""
    return load(VisitReport, report_id, may_read_report)


def writable_report(report_id: uuid.UUID) -> VisitReport:
    return load(VisitReport, report_id, may_write_report)
