"""'Who viewed or changed this record': the audit trail of one record, in plain words.

The trail stores ids only; the actor's name and role come from the user table when shown.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.core.audit import AuditEvent
from app.extensions import db

# TRANSLATORS: what a person did with a child's record, shown in a table of who did what.
ACTIONS = {
    "view": _l("viewed"),
    "view_roster": _l("viewed in the administration"),
    "offline_copy": _l("saved a copy on their phone for offline use"),
    "create": _l("added to the roll"),
    "enrol": _l("moved to another class"),
    "rollover": _l("moved up a grade"),
    "leave": _l("recorded as having left"),
    "attendance_write": _l("changed attendance"),
    "attendance_sync": _l("changed attendance from a phone that was offline"),
    "caseload_add": _l("added to a social worker's caseload"),
    "caseload_remove": _l("removed from a social worker's caseload"),
    "refused": _l("was refused access"),
    "refused_csrf": _l("sent a form that had expired"),
    "sync_refused": _l("sent an entry from a phone that the server refused to open"),
    "view_roll_call": _l("viewed the roll call"),
    "incident_report": _l("reported an incident"),
    "incident_sync": _l("reported an incident from a phone that was offline"),
    "view_incident": _l("read an incident report"),
    "view_own_report": _l("looked at their own incident report"),
    "view_list": _l("saw it in a list of incidents"),
    "incident_action": _l("recorded an action on an incident"),
    "incident_referral": _l("recorded a referral for an incident"),
    "incident_status": _l("changed the status of an incident"),
    "view_review": _l("saw the child on the committee's review list"),
    "view_casework": _l("viewed the placements and visits"),
    "view_visit_form": _l("opened a new visit report"),
    "view_visit_report": _l("viewed a visit report"),
    "view_placement_form": _l("opened the form for a new placement"),
    "placement_create": _l("recorded a new placement"),
    "placement_create_sync": _l("recorded a new placement from a phone that was offline"),
    "visit_report_create": _l("recorded a visit report"),
    "visit_report_change": _l("changed a visit report"),
    "visit_report_create_sync": _l("recorded a visit report from a phone that was offline"),
    "visit_report_change_sync": _l("changed a visit report from a phone that was offline"),
    "visit_report_conflict_sync": _l(
        "sent a visit report change from a phone that needs a decision"
    ),
    "login": _l("logged in"),
    "logout": _l("logged out"),
}
OTHER_ACTION = _l("changed the record")


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str
    actor_name: str | None  # None: no user (the command line, a demo load)
    actor_role: str | None  # the role's label

    @property
    def words(self) -> str:
        """The action in plain words; an action not listed yet in general words."""
        return str(ACTIONS.get(self.action, OTHER_ACTION))


def record_history(record_type: str, record_id: object, limit: int = 50) -> list[HistoryEntry]:
    """Who did what with this record and when, newest first, in one query."""
    rows = db.session.execute(
        select(AuditEvent.at, AuditEvent.action, User.display_name, User.role)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.record_type == record_type, AuditEvent.record_id == str(record_id))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    return [
        HistoryEntry(at, action, name, role.label if role is not None else None)
        for at, action, name, role in rows
    ]
