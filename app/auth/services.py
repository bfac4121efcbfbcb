"""Accounts: creating users and checking credentials. Writes flush; the caller commits."""

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app.auth.models import Role, User
from app.auth.password_policy import check_new_password
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.core.errors import InvalidInput
from app.extensions import db

# AES-256: the key a user's phone encrypts its outbox entries with.
OUTBOX_KEY_BYTES = 32

# A real hash of nothing in particular: verifying against it costs what a real check costs,
# so a login for an unknown address takes as long as one for a known address.
_DUMMY = {}


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    email: str, display_name: str, role: Role, password: str, preferred_language: str | None = None
) -> User:
    email = normalise_email(email)
    if "@" not in email:
        raise InvalidInput(_l("Enter a valid email address."))
    check_new_password(password, [email, display_name])
    exists = db.session.scalar(select(func.count()).select_from(User).where(User.email == email))
    if exists:
        raise InvalidInput(_l("An account with this email address already exists."))
    user = User(
        email=email,
        display_name=display_name.strip(),
        role=role,
        password_hash=hash_password(password),
        preferred_language=preferred_language,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None; never says which part was wrong."""
    user = find_user(email)
    if user is None:
        verify_password(_dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _dummy_hash() -> str:
    if "hash" not in _DUMMY:
        _DUMMY["hash"] = hash_password("not-a-real-password")
    return _DUMMY["hash"]


def ensure_outbox_key(user: User) -> bytes:
    """The key `user`'s phone encrypts its outbox with, made at first use; the caller commits.

    Made only where there is none, in one statement: two first requests at the same instant
    keep one key, never a key some page already handed out and then lost.
    """
    if user.outbox_key is None:
        db.session.execute(
            update(User)
            .where(User.id == user.id, User.outbox_key.is_(None))
            .values(outbox_key=secrets.token_bytes(OUTBOX_KEY_BYTES))
            .execution_options(synchronize_session=False)
        )
        db.session.refresh(user, ["outbox_key"])
    return user.outbox_key
