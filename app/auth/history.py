"""'Who viewed or changed this record': the audit trail of one record, in plain words.

The trail stores ids only; the actor's name and role come from the user table when shown.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.auth.models import User
from app.core.audit import AuditEvent
from app.core.audit_history import action_words
from app.extensions import db


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str
    actor_name: str | None  # None: no user (the command line, a demo load)
    actor_role: str | None  # the role's label

    @property
    def words(self) -> str:
        return action_words(self.action)


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
