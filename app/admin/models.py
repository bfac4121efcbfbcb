"""What the administration pages keep between two requests."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import UTCDateTime, UUIDPrimaryKey, utcnow
from app.extensions import db


class RosterUpload(UUIDPrimaryKey, db.Model):
    """A roster file between its preview and its import (deleted once imported)."""

    __tablename__ = "roster_upload"

    uploaded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
