"""Incidents on a child's review summary (children/review.py): those that happened since the
last review, and earlier ones still not resolved, with their status. Restricted."""

from datetime import date

from sqlalchemy import or_, select

from app.children.models import Child
from app.extensions import db
from app.incidents.models import Incident, Status


def incidents_part(child: Child, since: date) -> dict:
    incidents = db.session.scalars(
        select(Incident)
        .where(Incident.child_id == child.id)
        .where(or_(Incident.occurred_on >= since, Incident.status != Status.RESOLVED))
        .order_by(Incident.occurred_on.desc(), Incident.reported_at.desc())
    )
    return {"incidents": list(incidents), "since": since}
