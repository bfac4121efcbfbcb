"""The casework part of a child's page: placements and visits, in its restricted section."""

from flask_login import current_user

from app.casework import placements, visits
from app.children import access
from app.children.models import Child
from app.core.audit import audit


def child_section(child: Child) -> dict:
    history = placements.placements_of(child.id)
    for placement in history:
        audit("view", "placement", placement.id)
    audit("view_casework", "child", child.id)
    can_edit = access.is_case_worker(current_user, child.id) and child.anonymised_at is None
    return {
        "placements": history,
        "reports": visits.reports_of(child.id),
        "can_write_casework": can_edit,
    }
