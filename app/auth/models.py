"""People who use Qadam and what they may do."""

import uuid
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import (
    Labelled,
    Timestamps,
    UTCDateTime,
    UUIDPrimaryKey,
    labels,
    string_enum,
    utcnow,
)
from app.extensions import db


class Role(Labelled):
    TEACHER = "teacher"
    SOCIAL_WORKER = "social_worker"
    COMMITTEE_MEMBER = "committee_member"
    ADMINISTRATOR = "administrator"


ROLE_LABELS = labels(
    {
        Role.TEACHER: _l("Teacher"),
        Role.SOCIAL_WORKER: _l("Social worker"),
        Role.COMMITTEE_MEMBER: _l("Committee member"),
        Role.ADMINISTRATOR: _l("Administrator"),
    }
)
# Where each role starts: its own home page, named in the main navigation.
HOME_ENDPOINTS = {
    Role.TEACHER: "attendance.today",
    Role.SOCIAL_WORKER: "casework.caseload",
    Role.COMMITTEE_MEMBER: "children.district",
    Role.ADMINISTRATOR: "admin.index",
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
    # For committee members: the district whose children they review.
    district: Mapped[str | None] = mapped_column(String(120))
    # Two-factor authentication with TOTP (RFC 6238). The secret is made on the enrolment page
    # and counts only once a code confirmed it (totp_enabled_at). totp_last_step is the time
    # step of the last code accepted: no code, nor an older one, works a second time.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # The key this user's phone encrypts its outbox entries with (AES-256, made at first use),
    # given only to pages of this user's own session: another user of the same phone cannot
    # read what waits there.
    outbox_key: Mapped[bytes | None] = mapped_column(LargeBinary(32))

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_teacher(self) -> bool:
        return self.role is Role.TEACHER

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def home_endpoint(self) -> str:
        """The endpoint of the user's home page (see HOME_ENDPOINTS)."""
        return HOME_ENDPOINTS[self.role]


class AccessChange(db.Model):
    """Who changed whose role, assignments or account, and when. Ids only, never names."""

    __tablename__ = "access_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"), index=True)
    # "created", "role", "class_added", "class_removed", "child_added", "child_removed",
    # "district", "deactivated", "reactivated", "reset_issued", "password_reset",
    # "two_factor_on", "two_factor_off", "two_factor_reset", "sessions_ended"
    change: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(String(200))  # e.g. "teacher->administrator"


class PasswordReset(db.Model):
    """A one-time code an administrator gave a user; only its hash is kept."""

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RecoveryCode(db.Model):
    """A one-time code to log in without the phone; only a hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class UserSession(db.Model):
    """A session kept on the server. The cookie holds a random token; only its SHA-256 is here.

    A session that ended (logout, password change, deactivation, an administrator, the idle
    timeout or the absolute lifetime) is never used again; `flask sessions prune` deletes it.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # None for a visitor who is not logged in (a CSRF token, a language).
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"), index=True)
    data: Mapped[str] = mapped_column(Text)  # the session's keys and values, as tagged JSON
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # "logout", "password_changed", "deactivated", "ended_by_administrator", "idle",
    # "expired", "replaced_at_login", "emptied"
    end_reason: Mapped[str | None] = mapped_column(String(32))
    remote_addr: Mapped[str | None] = mapped_column(String(64))
