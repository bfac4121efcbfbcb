"""Who read or changed a child's record, when and from where. No names, no values."""

import uuid
from datetime import datetime

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import UTCDateTime, utcnow
from app.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(64), index=True)
    remote_addr: Mapped[str | None] = mapped_column(String(64))


def audit(action: str, record_type: str, record_id: object | None = None) -> None:
    """Add an audit event to the current unit of work (committed with it).

    A page the app saves on the phone for offline use is a read too, but not one a person
    made on screen: it is recorded as "offline_copy" rather than "view".
    """
    purpose = request.headers.get("X-Qadam-Purpose") if has_request_context() else None
    if action == "view" and purpose == "offline-copy":
        action = "offline_copy"
    user_id = current_user.id if has_request_context() and current_user.is_authenticated else None
    db.session.add(
        AuditEvent(
            user_id=user_id,
            action=action,
            record_type=record_type,
            record_id=str(record_id) if record_id is not None else None,
            remote_addr=request.remote_addr if has_request_context() else None,
        )
    )
