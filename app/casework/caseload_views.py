"""A social worker's home page: their caseload by next visit due, and what needs them now."""

from flask import g, render_template
from flask_login import current_user

from app.auth.models import Role
from app.auth.permissions import role_required
from app.casework.blueprint import bp
from app.casework.conflicts import caseload_conflicts
from app.casework.due import NO_PLACEMENT, caseload_due
from app.children.alerts import alerts_for
from app.children.services import reachable_children
from app.core import clock
from app.i18n.locale import current_language


@bp.get("/caseload")
@role_required(Role.SOCIAL_WORKER)
def caseload():
    """The caseload by next visit due: overdue first, then the soonest; children with no
    placement recorded last."""
    today = clock.today()
    due = caseload_due(current_user)
    g.overdue_visits = sum(d.overdue(today) for d in due.values())  # the header's count
    children = reachable_children(current_user, current_language())  # by name: among equals
    rows = [(child, due.get(child.id) or NO_PLACEMENT) for child in children]
    rows.sort(key=lambda row: (row[1].due_on is None, row[1].due_on or today))
    return render_template(
        "casework/caseload.html",
        rows=rows,
        today=today,
        overdue=g.overdue_visits,
        decisions=caseload_conflicts(current_user),
        alerts=alerts_for(current_user, today),
    )
