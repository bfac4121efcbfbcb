"""A child's restricted background and the consent of their legal representative.

Stored apart from the roster, read only by the child's social worker and the committee
(see app.children.access). Nothing here is ever shown to a teacher or kept on a phone.
"""

import enum
import uuid
from datetime import date, datetime

from babel import Locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, TypeDecorator
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.models import Labelled, UTCDateTime, UUIDPrimaryKey, labels, string_enum, utcnow
from app.extensions import db
from app.i18n.locale import current_language


class ReturnedFrom(enum.StrEnum):
    """Where a child came home from: ISO 3166 codes, named by Babel in the reader's language."""

    SYRIA = "SY"
    IRAQ = "IQ"
    AFGHANISTAN = "AF"
    TURKEY = "TR"
    OTHER = "other"

    @property
    def label(self) -> str:
        if self is ReturnedFrom.OTHER:
            return str(_l("Another country"))
        return Locale.parse(current_language()).territories.get(self.value, self.value)


class ConsentScope(Labelled):
    SCHOOLING = "schooling"
    CASEWORK = "casework"
    SHARING_WITH_COMMITTEE = "sharing_with_committee"
    HEALTH = "health"


SCOPE_LABELS = labels(
    {
        ConsentScope.SCHOOLING: _l("Schooling"),
        ConsentScope.CASEWORK: _l("Casework by the social worker"),
        ConsentScope.SHARING_WITH_COMMITTEE: _l("Sharing with the child-protection committee"),
        ConsentScope.HEALTH: _l("Health care"),
    }
)


class Representative(Labelled):
    """Who gave consent, by their relationship to the child (never a person's name)."""

    MOTHER = "mother"
    FATHER = "father"
    GRANDPARENT = "grandparent"
    OTHER_RELATIVE = "other_relative"
    GUARDIAN = "guardian"
    FOSTER_CARER = "foster_carer"
    STATE_BODY = "state_body"


REPRESENTATIVE_LABELS = labels(
    {
        Representative.MOTHER: _l("Mother"),
        Representative.FATHER: _l("Father"),
        Representative.GRANDPARENT: _l("Grandparent"),
        Representative.OTHER_RELATIVE: _l("Another relative"),
        Representative.GUARDIAN: _l("Guardian"),
        Representative.FOSTER_CARER: _l("Foster carer"),
        # TRANSLATORS: the guardianship authority acting as the child's legal representative.
        Representative.STATE_BODY: _l("State body (guardianship authority)"),
    }
)


class ScopeList(TypeDecorator):
    """A list of consent scopes, stored as their values joined by commas, in a fixed order."""

    impl = String(200)
    cache_ok = True

    def process_bind_param(self, value: list | None, dialect) -> str | None:
        if value is None:
            return None
        chosen = {ConsentScope(item) for item in value}  # an unknown value raises
        return ",".join(scope.value for scope in ConsentScope if scope in chosen)

    def process_result_value(self, value: str | None, dialect) -> list[ConsentScope]:
        return [ConsentScope(item) for item in (value or "").split(",") if item]


class ChildBackground(db.Model):
    """One row per child whose background has been recorded."""

    __tablename__ = "child_background"

    child_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("child.id", ondelete="CASCADE"), primary_key=True
    )
    returned_from: Mapped[ReturnedFrom | None] = mapped_column(
        string_enum(ReturnedFrom, "returned_from", 8)
    )
    returned_on: Mapped[date | None] = mapped_column(Date)
    family_situation: Mapped[str] = mapped_column(Text, default="")
    parents_legal_notes: Mapped[str] = mapped_column(Text, default="")
    # Two people editing at once: the second save is refused, not silently overwritten.
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))

    updated_by: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Consent(UUIDPrimaryKey, db.Model):
    """A legal representative's consent. A withdrawal is recorded on it; nothing is deleted."""

    __tablename__ = "consent"
    __table_args__ = (
        CheckConstraint("withdrawn_on IS NULL OR given_on <= withdrawn_on", name="dates"),
    )

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    given_on: Mapped[date] = mapped_column(Date)
    scope: Mapped[list[ConsentScope]] = mapped_column(ScopeList())
    representative: Mapped[Representative] = mapped_column(
        string_enum(Representative, "consent_representative", 20)
    )
    # For example the number of a notarised form; emptied when the record is anonymised.
    document_reference: Mapped[str] = mapped_column(String(100), default="")
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))

    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
