"""Incident reports made offline: the "incident" kind of sync op.

The op's record_id is the report's id, made on the phone. A report arrives exactly once: the
same op again is answered from the outbox's store, and another op carrying an id this person
already used (the form was sent online, then again from the outbox) is the same report.
"""

import uuid
from datetime import date
from typing import Annotated

from flask_babel import gettext as _

from app.auth.models import User
from app.children.models import Child
from app.core import clock
from app.core.errors import InvalidInput
from app.core.loading import load_for_op
from app.core.rules import Malformed, text
from app.extensions import db
from app.incidents import services
from app.incidents.models import Incident, Involved, Kind, Place, Severity
from app.incidents.queries import may_report
from app.sync.payload import Payload, rule
from app.sync.registry import Op, Outcome, SyncKind

KIND = "incident"


def _iso_day(value: object) -> date:
    if not isinstance(value, str):
        raise Malformed("a day was expected")
    return date.fromisoformat(value)


def _stripped(value: object) -> str:
    return text(value).strip()


class IncidentPayload(Payload):
    """An incident report as the form's script sends it. The rules of what a report must
    hold are the service's (services.report), the same for the form and the phone."""

    DAMAGED = services.DAMAGED
    child_id: uuid.UUID
    occurred_on: Annotated[date, rule(_iso_day)]
    place: Place
    involved: list[Involved]
    what_happened: list[Kind]
    severity: Severity
    immediate_action: Annotated[str, rule(_stripped)] = ""

    def values(self) -> services.ReportValues:
        return services.ReportValues(
            occurred_on=self.occurred_on,
            place=self.place,
            involved=list(self.involved),
            what_happened=list(self.what_happened),
            severity=self.severity,
            immediate_action=self.immediate_action,
        )


def apply_incident_op(user: User, op: Op) -> Outcome:
    payload: IncidentPayload = op.payload
    refusal = _("You cannot report an incident for this child.")
    child = load_for_op(user, Child, payload.child_id, may_report, refusal)
    existing = db.session.get(Incident, op.record_id)
    if existing is not None:
        if existing.reported_by_id != user.id or existing.child_id != child.id:
            raise InvalidInput(
                _("This report's id is already used. Discard it and report it again."),
                status=409,
            )
        return _outcome(existing)  # already received (sent from the form before)
    incident = services.report(
        child,
        user,
        payload.values(),
        clock.today(),
        incident_id=op.record_id,
        source="incident_sync",
    )
    return _outcome(incident)


def _outcome(incident: Incident) -> Outcome:
    return Outcome("applied", {"id": str(incident.id), "version": incident.version})


SYNC_KINDS = (SyncKind(KIND, apply_incident_op, IncidentPayload, sealed=True),)
