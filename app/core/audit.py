"""Who read or changed a child's record, when and from where. No names, no values.

Every event holds ids and fixed words only: the acting user's id, an action ("view",
"attendance_write", "refused", …), a record type and the record's id, the time (UTC) and the
remote address. Names are looked up in the user table when the trail is shown, never stored.

audit() only notes the event in the current unit of work: it costs no query. The event is
written when that unit of work commits, chained to the entry before it (app/core/audit_chain.py),
and dropped if the unit of work rolls back. refused() records an access a logged-in user was
refused; the request then fails and rolls back, so that event is written on its own, in a
short transaction of its own once the response is ready.

The table is append-only: the database refuses UPDATE and DELETE of its rows (triggers in
migration 0007), and nothing in the app changes a row once written.

Where to call it:
- a view showing a child's record (or part of it): audit("view", "child", child.id), and
  commit the unit of work after rendering, as a GET with nothing else to write must too;
- a service creating or changing it: audit("<verb>", "child", child.id) next to the write
  (the caller's commit writes both); an export: audit("export", "child", child.id) per child;
- a sync kind's handler: audit("<kind>_sync", record_type, record.id) (kept only if applied);
- an access check answering 404 to a logged-in user: refuse(record_type, record_id), which
  records the refusal and aborts; a record a user names is loaded through app/core/loading.py,
  which refuses through it (a sync op through refused()), GET and POST alike;
- a new verb: its plain words in its domain's audit_actions (app/<domain>/domain.py).
Never a name, a typed search or a value: record_id is an id (at most 64 characters).
"""

import uuid
from datetime import datetime
from typing import NoReturn

from flask import Flask, Response, abort, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.models import UTCDateTime, utcnow
from app.extensions import db

PENDING = "qadam_audit_pending"  # key in Session.info: events waiting for the commit


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(64), index=True)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    # Unique: two entries can never follow the same one, so the trail cannot fork.
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64))


def audit(action: str, record_type: str, record_id: object | None = None) -> None:
    """Note an audit event in the current unit of work (written and chained when it commits).

    A page the app saves on the phone for offline use is a read too, but not one a person
    made on screen: any "view…" action is then recorded as "offline_copy".
    """
    purpose = request.headers.get("X-Qadam-Purpose") if has_request_context() else None
    if action.startswith("view") and purpose == "offline-copy":
        action = "offline_copy"
    session = db.session()
    if not session.in_transaction():
        session.begin()  # no query: the unit of work the event belongs to, to end with it
    session.info.setdefault(PENDING, []).append(_event(action, record_type, record_id))


def refused(record_type: str, record_id: object | None = None, action: str = "refused") -> None:
    """A logged-in user was refused a page or a record (they are answered 404).

    Recorded even though the request fails: the event is written in its own transaction
    once the response is ready (see write_refused). Call it just before aborting.
    """
    if not has_request_context() or not current_user.is_authenticated:
        return  # not logged in: the login page, not a refusal
    g.setdefault("audit_refused", []).append(_event(action, record_type, record_id))


def refuse(record_type: str, record_id: object | None = None) -> NoReturn:
    """Answer 404, as if the record did not exist, and record that it was refused: the one
    way a page or a record is refused to a logged-in user."""
    refused(record_type, record_id)
    abort(404)


def _event(action: str, record_type: str, record_id: object | None) -> AuditEvent:
    in_request = has_request_context()
    user_id = current_user.id if in_request and current_user.is_authenticated else None
    return AuditEvent(
        at=utcnow(),
        user_id=user_id,
        action=action,
        record_type=record_type,
        record_id=str(record_id) if record_id is not None else None,
        remote_addr=request.remote_addr if in_request else None,
    )


def write_refused(response: Response) -> Response:
    """Write the refusals of this request, whatever became of its own unit of work."""
    events = g.pop("audit_refused", None)
    if events:
        with Session(db.engine) as session:
            session.info[PENDING] = events
            session.commit()
    return response


def init_audit(app: Flask) -> None:
    from app.core import audit_chain

    audit_chain.listen()
    app.after_request(write_refused)
