"""People who use Qadam and what they may do."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Timestamps, UTCDateTime, UUIDPrimaryKey, string_enum
from app.extensions import db


class Role(enum.StrEnum):
    TEACHER = "teacher"
    SOCIAL_WORKER = "social_worker"
    COMMITTEE_MEMBER = "committee_member"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.TEACHER: _l("Teacher"),
    Role.SOCIAL_WORKER: _l("Social worker"),
    Role.COMMITTEE_MEMBER: _l("Committee member"),
    Role.ADMINISTRATOR: _l("Administrator"),
}


class User(UUIDPrimaryKey, Timestamps, UserMixin, db.Model):
    __tablename__ = "user"

    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    preferred_language: Mapped[str | None] = mapped_column(String(8))
    role: Mapped[Role] = mapped_column(string_enum(Role, "role", 32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_teacher(self) -> bool:
        return self.role is Role.TEACHER
