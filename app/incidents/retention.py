"""An anonymised child's incidents: every free-text note goes; when, where, who by category,
what happened, severity and the dated statuses stay (they name nobody)."""

from sqlalchemy import select, update

from app.children.models import Child
from app.extensions import db
from app.incidents.models import Incident, IncidentEvent


def anonymise_incidents(child: Child) -> None:
    incidents = select(Incident.id).where(Incident.child_id == child.id)
    db.session.execute(
        update(Incident)
        .where(Incident.child_id == child.id)
        .values(immediate_action="")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(IncidentEvent)
        .where(IncidentEvent.incident_id.in_(incidents))
        .values(note="")
        .execution_options(synchronize_session=False)
    )
