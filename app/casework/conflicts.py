"""Fields of a visit report that a phone and the server both changed: shown side by side
for the child's social worker to choose, field by field (app.sync.merge.resolve)."""

import json
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import format_date
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.casework import visits
from app.casework.models import VisitReport
from app.children.models import caseload
from app.extensions import db
from app.sync import merge
from app.sync.models import OPEN, SyncConflict

RECORD_TYPE = "visit_report"


@dataclass(frozen=True)
class FieldChoice:
    name: str
    base: Any
    server: Any
    device: Any

    @property
    def server_text(self) -> str:
        return wire_text(self.name, self.server)

    @property
    def device_text(self) -> str:
        return wire_text(self.name, self.device)


def wire_text(name: str, value: Any) -> str:
    """A wire value as a person reads it; "" for an empty one."""
    if not value:
        return ""
    if name == "actions":
        parts = ((a["what"], a["who"], a["by_when"]) for a in value)
        return "; ".join(" — ".join(p for p in action if p) for action in parts)
    if name in visits.DATE_FIELDS:
        return format_date(date.fromisoformat(value), "long")
    if name in visits.CHOICES:
        return visits.CHOICES[name](value).label
    return str(value)


def open_conflicts(report_id: uuid.UUID) -> list[SyncConflict]:
    statement = (
        select(SyncConflict)
        .where(
            SyncConflict.record_type == RECORD_TYPE,
            SyncConflict.record_id == report_id,
            SyncConflict.state == OPEN,
        )
        .order_by(SyncConflict.id)
    )
    return list(db.session.scalars(statement))


def choices_of(conflict: SyncConflict) -> list[FieldChoice]:
    fields = json.loads(conflict.fields)
    return [
        FieldChoice(name, fields[name]["base"], fields[name]["server"], fields[name]["device"])
        for name in visits.FIELDS
        if name in fields
    ]


def conflict_of(report: VisitReport, conflict_id: int | None) -> SyncConflict | None:
    conflict = db.session.get(SyncConflict, conflict_id) if conflict_id is not None else None
    if conflict is None or conflict.record_type != RECORD_TYPE or conflict.record_id != report.id:
        return None
    return conflict


def resolve(report: VisitReport, conflict: SyncConflict, choices: dict, user: User) -> None:
    merge.resolve(conflict, visits.WireView(report, user), choices, user)
    visits.follow_actions(report)


def caseload_conflicts(user: User) -> list[tuple[VisitReport, int]]:
    """Reports of `user`'s caseload with fields waiting for a decision, and how many."""
    statement = (
        select(VisitReport, SyncConflict.id)
        .join(SyncConflict, SyncConflict.record_id == VisitReport.id)
        .join(caseload, caseload.c.child_id == VisitReport.child_id)
        .where(
            caseload.c.user_id == user.id,
            SyncConflict.record_type == RECORD_TYPE,
            SyncConflict.state == OPEN,
        )
        .order_by(VisitReport.visited_on.desc())
        .options(joinedload(VisitReport.child))
    )
    counts: dict[uuid.UUID, list] = {}
    for report, _conflict_id in db.session.execute(statement):
        counts.setdefault(report.id, [report, 0])[1] += 1
    return [(report, count) for report, count in counts.values()]
