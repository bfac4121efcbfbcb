"""Stigmatisation incidents a teacher or social worker reports for a child, their dated
history, and the committee's review list.

The free text (what was done at once, notes) is sensitive: the child's social worker and the
committee read it; the reporting teacher sees their own report and its status only.
"""

import enum
import uuid
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.children.models import Child
from app.core.models import Labelled, UTCDateTime, UUIDPrimaryKey, labels, string_enum, utcnow
from app.extensions import db


class Place(Labelled):
    CLASSROOM = "classroom"
    SCHOOL_GROUNDS = "school_grounds"
    ONLINE = "online"
    NEIGHBOURHOOD = "neighbourhood"
    PUBLIC_SERVICE = "public_service"
    MEDIA = "media"


# TRANSLATORS: where an incident against a child happened.
PLACE_LABELS = labels(
    {
        Place.CLASSROOM: _l("In the classroom"),
        Place.SCHOOL_GROUNDS: _l("On the school grounds"),
        Place.ONLINE: _l("Online"),
        Place.NEIGHBOURHOOD: _l("In the neighbourhood"),
        Place.PUBLIC_SERVICE: _l("At a public service (clinic, office)"),
        Place.MEDIA: _l("In the media"),
    }
)


class Involved(Labelled):
    """Who was involved, by category only: never a person's name."""

    PEERS = "peers"
    SCHOOL_STAFF = "school_staff"
    OTHER_PARENTS = "other_parents"
    NEIGHBOURS = "neighbours"
    OFFICIALS = "officials"
    MEDIA = "media"


# TRANSLATORS: who was involved in an incident, as a group of people (never a name).
INVOLVED_LABELS = labels(
    {
        Involved.PEERS: _l("Other children"),
        Involved.SCHOOL_STAFF: _l("School staff"),
        Involved.OTHER_PARENTS: _l("Other parents"),
        Involved.NEIGHBOURS: _l("Neighbours"),
        Involved.OFFICIALS: _l("Officials"),
        Involved.MEDIA: _l("Journalists or media"),
    }
)


class Kind(Labelled):
    VERBAL = "verbal"
    EXCLUSION = "exclusion"
    PHYSICAL = "physical"
    ONLINE = "online"
    SERVICE_REFUSED = "service_refused"
    DISCLOSURE = "disclosure"


# TRANSLATORS: what happened to a child in an incident of stigmatisation or bullying.
KIND_LABELS = labels(
    {
        Kind.VERBAL: _l("Insults or name-calling"),
        Kind.EXCLUSION: _l("Left out or excluded"),
        Kind.PHYSICAL: _l("Physical harm"),
        Kind.ONLINE: _l("Bullying online"),
        Kind.SERVICE_REFUSED: _l("A service was refused"),
        Kind.DISCLOSURE: _l("The child's family history was made known to others"),
    }
)


class Severity(Labelled):
    LOW = "low"
    MEDIUM = "medium"
    SERIOUS = "serious"


SEVERITY_LABELS = labels(
    {
        Severity.LOW: _l("Minor"),
        Severity.MEDIUM: _l("Significant"),
        Severity.SERIOUS: _l("Serious"),
    }
)


class Status(Labelled):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"


# TRANSLATORS: the state of an incident report's follow-up.
STATUS_LABELS = labels(
    {
        Status.OPEN: _l("Open"),
        Status.IN_PROGRESS: _l("In progress"),
        Status.RESOLVED: _l("Resolved"),
    }
)


class Referral(Labelled):
    PSYCHOLOGIST = "psychologist"
    SCHOOL_LEADERSHIP = "school_leadership"
    POLICE = "police"
    COMMITTEE = "committee"


REFERRAL_LABELS = labels(
    {
        Referral.PSYCHOLOGIST: _l("Psychologist"),
        Referral.SCHOOL_LEADERSHIP: _l("School leadership"),
        Referral.POLICE: _l("Police"),
        Referral.COMMITTEE: _l("Child-protection committee"),
    }
)


class EventKind(enum.StrEnum):
    REPORTED = "reported"
    STATUS = "status"
    ACTION = "action"
    REFERRAL = "referral"


def enum_set(enum_class: type[enum.StrEnum], length: int) -> type[TypeDecorator]:
    """A set of an enum's members, stored as their values joined by commas, in a fixed order."""

    class EnumSet(TypeDecorator):
        impl = String(length)
        cache_ok = True

        def process_bind_param(self, value, dialect) -> str | None:
            if value is None:
                return None
            chosen = {enum_class(item) for item in value}  # an unknown value raises
            return ",".join(member.value for member in enum_class if member in chosen)

        def process_result_value(self, value, dialect) -> list:
            return [enum_class(item) for item in (value or "").split(",") if item]

    EnumSet.__name__ = f"{enum_class.__name__}Set"
    return EnumSet


InvolvedSet = enum_set(Involved, 120)
KindSet = enum_set(Kind, 120)


class Incident(UUIDPrimaryKey, db.Model):
    """One report. Its id may be made on the phone that recorded it offline."""

    __tablename__ = "incident"

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    reported_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"), index=True)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    occurred_on: Mapped[date] = mapped_column(Date)
    place: Mapped[Place] = mapped_column(string_enum(Place, "incident_place", 20))
    involved: Mapped[list[Involved]] = mapped_column(InvolvedSet())
    what_happened: Mapped[list[Kind]] = mapped_column(KindSet())
    severity: Mapped[Severity] = mapped_column(string_enum(Severity, "incident_severity", 10))
    immediate_action: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[Status] = mapped_column(
        string_enum(Status, "incident_status", 12), default=Status.OPEN
    )
    version: Mapped[int] = mapped_column(Integer)

    child: Mapped[Child] = relationship()
    reported_by: Mapped[User] = relationship()
    events: Mapped[list["IncidentEvent"]] = relationship(
        back_populates="incident", order_by="IncidentEvent.id"
    )

    __mapper_args__ = {"version_id_col": version}


class IncidentEvent(db.Model):
    """A dated line of an incident's history; nothing changes one once written."""

    __tablename__ = "incident_event"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'status') = (status_to IS NOT NULL)"
            " AND (kind = 'referral') = (referral_to IS NOT NULL)",
            name="kind_fields",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[EventKind] = mapped_column(string_enum(EventKind, "incident_event_kind", 10))
    status_to: Mapped[Status | None] = mapped_column(
        string_enum(Status, "incident_event_status", 12)
    )
    referral_to: Mapped[Referral | None] = mapped_column(
        string_enum(Referral, "incident_referral", 20)
    )
    note: Mapped[str] = mapped_column(Text, default="")

    incident: Mapped[Incident] = relationship(back_populates="events")
    by: Mapped[User] = relationship()


class ReviewItem(db.Model):
    """A child on the committee's next review list, and why."""

    __tablename__ = "review_item"
    # The open items, newest first: the committee's list (a partial index, as small as it).
    __table_args__ = (
        Index(
            "ix_review_item_open",
            "added_at",
            "id",
            postgresql_where=text("reviewed_at IS NULL"),
            sqlite_where=text("reviewed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    # Why the child is on the list: "serious_incident" (later issues add more reasons).
    reason: Mapped[str] = mapped_column(String(40))
    incident_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("incident.id"), unique=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    child: Mapped[Child] = relationship()
    incident: Mapped[Incident | None] = relationship()
