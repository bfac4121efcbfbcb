"""Sessions kept on the server: when one lapses, ending them, counting them, pruning them.

Writes flush only; the caller commits. How a request finds its session and saves it is in
app/auth/session_interface.py.
"""

import hashlib
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update

from app.auth.models import User, UserSession
from app.core import clock
from app.extensions import db

# last_seen_at is written at most this often, not on every request (so the idle timeout
# is kept to the minute).
TOUCH_EVERY = timedelta(minutes=1)
# A visitor who is not logged in keeps a language and a CSRF token; not a login, so no
# 30-minute timeout (a login page left open still works), but not kept for ever either.
ANONYMOUS_IDLE = timedelta(days=1)
# How long a session that can no longer be used stays in the table (to see why it ended).
KEPT_AFTER_END = timedelta(days=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def limits() -> tuple[timedelta, timedelta]:
    """The idle timeout and the absolute lifetime of a logged-in session."""
    config = current_app.config
    return (
        timedelta(minutes=config["QADAM_SESSION_IDLE_MINUTES"]),
        timedelta(hours=config["QADAM_SESSION_MAX_HOURS"]),
    )


def lapsed(
    logged_in: bool, created_at: datetime, last_seen_at: datetime, now: datetime
) -> str | None:
    """Why a session not ended can no longer be used ("idle", "expired"), or None."""
    if not logged_in:
        return "idle" if now - last_seen_at > ANONYMOUS_IDLE else None
    idle, lifetime = limits()
    if now - created_at > lifetime:
        return "expired"
    if now - last_seen_at > idle:
        return "idle"
    return None


def _open_of(user: User, now: datetime) -> ColumnElement[bool]:
    idle, lifetime = limits()
    return and_(
        UserSession.user_id == user.id,
        UserSession.ended_at.is_(None),
        UserSession.last_seen_at >= now - idle,
        UserSession.created_at >= now - lifetime,
    )


def count_open(user: User) -> int:
    """How many sessions `user` could still use (on how many devices they are logged in)."""
    statement = select(func.count()).select_from(UserSession).where(_open_of(user, clock.now()))
    return db.session.scalar(statement) or 0


def end_all(user: User, reason: str) -> int:
    """End every session `user` could still use; returns how many. Their next request finds
    no session, so they are asked to log in. (Sessions already lapsed are left as they are.)"""
    now = clock.now()
    result = db.session.execute(
        update(UserSession)
        .where(_open_of(user, now))
        .values(ended_at=now, end_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def prune(now: datetime | None = None) -> int:
    """Delete the sessions that can no longer be used, a day after they ended or lapsed."""
    now = now or clock.now()
    idle, lifetime = limits()
    statement = delete(UserSession).where(
        or_(
            UserSession.ended_at < now - KEPT_AFTER_END,
            and_(UserSession.user_id.is_(None), UserSession.last_seen_at < now - ANONYMOUS_IDLE),
            UserSession.last_seen_at < now - idle - KEPT_AFTER_END,
            UserSession.created_at < now - lifetime - KEPT_AFTER_END,
        )
    )
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount
