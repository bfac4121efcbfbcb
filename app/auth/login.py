"""Starting and ending a login. Every way in (a password, later a second factor) ends here."""

from flask import session
from flask_login import login_user, logout_user

from app.auth.models import User
from app.auth.services import ensure_outbox_key
from app.core.audit import audit
from app.core.models import utcnow


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
