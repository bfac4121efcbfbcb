"""Starting and ending a login. Every way in (a password, later a second factor) ends here."""

import time
import uuid

from flask import session
from flask_login import login_user, logout_user

from app.auth.models import User
from app.auth.services import ensure_outbox_key
from app.core.audit import audit
from app.core.models import utcnow
from app.extensions import db, login_manager

# Between the password and the two-factor code: who, since when, and where to go next.
PENDING = "two_factor_pending"
PENDING_SECONDS = 300


def complete_login(user: User) -> None:
    """Log `user` in on a fresh session, once every factor is checked; the caller commits.

    The session from before the login ends (its id, if someone knew it, opens nothing) and
    nothing in it carries over, except that a language chosen on the login page becomes the
    user's language if they had none.
    """
    lang = session.get("lang")
    session.end("replaced_at_login")
    if lang and not user.preferred_language:
        user.preferred_language = lang
    login_user(user)
    user.last_login_at = utcnow()
    ensure_outbox_key(user)  # in the login's commit: the first page already holds it
    audit("login", "user", user.id)


def end_login() -> None:
    """Log out: this session ends for good, so a copy of its cookie opens nothing."""
    logout_user()
    session.end("logout")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, uuid.UUID(user_id))
    except ValueError:
        return None
    return user if user is not None and user.active else None  # deactivated: signed out


def ask_second_factor(user: User, next_url: str | None) -> None:
    """The password was right: only this, for a few minutes, until the code is given too."""
    session[PENDING] = {"user": str(user.id), "at": int(time.time()), "next": next_url}


def pending_user() -> User | None:
    """The user whose password was right a moment ago and who still owes the code."""
    pending = session.get(PENDING) or {}
    if time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    user = load_user(pending.get("user", ""))
    return user if user is not None and user.has_two_factor else None
