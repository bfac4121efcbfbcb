"""Writes and reads of placements. A new placement ends the current one; nothing is
overwritten. Writes flush only."""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.casework.models import Placement, PlacementCaregiver, PlacementKind
from app.children.models import Child
from app.core.errors import InvalidInput
from app.extensions import db


@dataclass(frozen=True)
class Caregiver:
    name: str
    relationship: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PlacementValues:
    kind: PlacementKind
    starts_on: date
    district: str = ""
    social_worker_id: uuid.UUID | None = None
    monthly_months: int = 6
    then_every_months: int = 3
    caregivers: list[Caregiver] = field(default_factory=list)


def placements_of(child_id: uuid.UUID) -> list[Placement]:
    """The child's placement history, the current one first."""
    statement = (
        select(Placement)
        .where(Placement.child_id == child_id)
        .order_by(Placement.starts_on.desc())
        .options(selectinload(Placement.caregivers), selectinload(Placement.social_worker))
    )
    return list(db.session.scalars(statement))


def current_placement(child_id: uuid.UUID) -> Placement | None:
    statement = select(Placement).where(Placement.child_id == child_id, Placement.ends_on.is_(None))
    return db.session.scalars(statement).first()


def placement_on(child_id: uuid.UUID, day: date) -> Placement | None:
    """The placement the child was in on `day`."""
    statement = (
        select(Placement)
        .where(Placement.child_id == child_id, Placement.starts_on <= day)
        .where((Placement.ends_on.is_(None)) | (Placement.ends_on >= day))
        .order_by(Placement.starts_on.desc())
    )
    return db.session.scalars(statement).first()


def record_placement(
    child: Child,
    user: User,
    values: PlacementValues,
    today: date,
    placement_id: uuid.UUID | None = None,
) -> Placement:
    """A new entry in the child's history; the current placement ends the day before.
    `placement_id` is the id the page or the phone made (a new one if None)."""
    if child.anonymised_at is not None:
        raise InvalidInput(_l("This record has been anonymised; it can no longer be changed."))
    if values.starts_on > today:
        raise InvalidInput(_l("A placement cannot start in the future."))
    latest = db.session.scalars(
        select(Placement)
        .where(Placement.child_id == child.id)
        .order_by(Placement.starts_on.desc())
        .limit(1)
    ).first()
    if latest is not None and values.starts_on <= latest.starts_on:
        raise InvalidInput(
            _l(
                "A new placement must start after the current one began (%(day)s).",
                day=format_date(latest.starts_on, "long"),
            )
        )
    with db.session.no_autoflush:
        if latest is not None and latest.ends_on is None:
            latest.ends_on = values.starts_on - timedelta(days=1)
        placement = Placement(
            id=placement_id or uuid.uuid4(),
            child_id=child.id,
            kind=values.kind,
            starts_on=values.starts_on,
            district=values.district,
            social_worker_id=values.social_worker_id,
            monthly_months=values.monthly_months,
            then_every_months=values.then_every_months,
            created_by_id=user.id,
            caregivers=[
                PlacementCaregiver(position=n, **vars(c)) for n, c in enumerate(values.caregivers)
            ],
        )
        db.session.add(placement)
    db.session.flush()
    return placement


def same_placement(existing: Placement, child: Child, user: User) -> bool:
    """An id already saved is the same placement sent again only if this person recorded it
    for this child; otherwise the id is someone else's."""
    return existing.child_id == child.id and existing.created_by_id == user.id
