"""Keeping an uploaded file for its owner until it is imported or given up; flushes only."""

import uuid
from datetime import timedelta

from sqlalchemy import delete

from app.core.models import utcnow
from app.extensions import db
from app.uploads.models import Upload

KEEP_UPLOADS = timedelta(days=1)  # an upload nobody imported is forgotten after a day


def keep(user_id: uuid.UUID, filename: str, content: bytes) -> Upload:
    """Keep a file (read already) for `user_id`'s preview; forgets stale ones; flushes only."""
    db.session.execute(delete(Upload).where(Upload.created_at < utcnow() - KEEP_UPLOADS))
    upload = Upload(uploaded_by_id=user_id, filename=filename[:200], content=content)
    db.session.add(upload)
    db.session.flush()
    return upload


def made_by(user, upload: Upload) -> bool:
    """The upload is `user`'s: only the person who made it sees it (a may_see of load())."""
    return upload.uploaded_by_id == user.id


def discard(upload: Upload) -> None:
    db.session.delete(upload)
    db.session.flush()
