"""Incident reports made offline: the "incident" kind of sync op.

The op's record_id is the report's id, made on the phone. A report arrives exactly once: the
same op again is answered from the outbox's store, and another op carrying an id this person
already used (the form was sent online, then again from the outbox) is the same report.
"""

from flask_babel import gettext as _

from app.auth.models import User
from app.children.models import Child
from app.core import clock
from app.core.errors import InvalidInput
from app.core.loading import load_for_op
from app.extensions import db
from app.incidents import services
from app.incidents.models import Incident
from app.incidents.queries import may_report
from app.sync.registry import Op, Outcome, register

KIND = "incident"


def register_kind() -> None:
    register(KIND, apply_incident_op)


def apply_incident_op(user: User, op: Op) -> Outcome:
    child_id, values = services.values_from_payload(op.payload)
    refusal = _("You cannot report an incident for this child.")
    child = load_for_op(user, Child, child_id, may_report, refusal)
    existing = db.session.get(Incident, op.record_id)
    if existing is not None:
        if existing.reported_by_id != user.id or existing.child_id != child.id:
            raise InvalidInput(
                _("This report's id is already used. Discard it and report it again."),
                status=409,
            )
        return _outcome(existing)  # already received (sent from the form before)
    incident = services.report(
        child, user, values, clock.today(), incident_id=op.record_id, source="incident_sync"
    )
    return _outcome(incident)


def _outcome(incident: Incident) -> Outcome:
    return Outcome("applied", {"id": str(incident.id), "version": incident.version})
