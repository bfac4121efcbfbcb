"""Mixins shared by the domain models."""

import enum
import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, String, TypeDecorator, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A moment in time, stored and read back in UTC on SQLite and PostgreSQL alike.

    SQLite keeps no offset: without this, 08:14+05:00 would come back as 08:14 UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("A naive datetime cannot be stored: give it a time zone.")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def string_enum(enum_class: type[enum.StrEnum], name: str, length: int) -> Enum:
    """A column type storing an enum's values as strings, checked by the database."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        create_constraint=True,
        name=name,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


# Each labelled enum's translated labels, by (enum, member): StrEnum members of different enums
# that share a value ("media") are equal, so the enum is part of the key.
_LABELS: dict[tuple[type, enum.Enum], object] = {}


class Labelled(enum.StrEnum):
    """A string enum whose members have a translated label, given with `labels({...})`."""

    @property
    def label(self) -> str:
        return str(_LABELS[(type(self), self)])


def labels(mapping: dict) -> dict:
    """Register the (lazily translated) labels of a Labelled enum's members."""
    _LABELS.update({(type(member), member): text for member, text in mapping.items()})
    return mapping


# Indexes that migrations make and the models do not declare, each with the reason; a domain
# adds its own. Alembic leaves them out of its comparison of models and database.
MIGRATION_ONLY_INDEXES: dict[str, str] = {}


def compared_with_migrations(_item, name, type_, reflected, _compare_to) -> bool:
    """Alembic's include_object (`flask db migrate` and the suite's check of the schema)."""
    return not (type_ == "index" and reflected and name in MIGRATION_ONLY_INDEXES)


class UUIDPrimaryKey:
    """A primary key a device can make before the server has seen the record."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Setting(db.Model):
    """Small key/value facts about this installation (for example: demo data loaded)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))


def get_setting(key: str) -> str | None:
    row = db.session.get(Setting, key)
    return row.value if row else None


def set_setting(key: str, value: str) -> None:
    row = db.session.get(Setting, key) or Setting(key=key)
    row.value = value
    db.session.add(row)
