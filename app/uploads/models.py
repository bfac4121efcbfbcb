"""A file a person uploaded, kept between its preview and its import, and only for them.

The roster import (administrators) and the e-journal import (teachers) keep their files here.
A file holds children's names (and marks), so it lives no longer than it must: deleted once
imported or given up, and any file nobody imported is forgotten after a day.
"""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import UTCDateTime, UUIDPrimaryKey, utcnow
from app.extensions import db


class Upload(UUIDPrimaryKey, db.Model):
    """A file between its preview and its import (deleted once imported). The table keeps the
    name it had when rosters were the only files uploaded."""

    __tablename__ = "roster_upload"

    uploaded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
