"""One-time codes an administrator hands to a user, to set or reset their password.

Only a code's SHA-256 is stored. A code is used once, expires after QADAM_RESET_HOURS, and
a newer code for the same user ends the older ones. Writes flush only; the caller commits.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from app.auth import access, sessions
from app.auth.models import PasswordReset, User
from app.auth.password_policy import check_new_password
from app.auth.passwords import hash_password
from app.auth.services import normalise_email
from app.core.models import utcnow
from app.extensions import db

# No 0/O, 1/I/L: read aloud or copied from a screen, a code is not mistyped.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
GROUP = 4


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def grouped(code: str) -> str:
    """ABCD-EFGH-JKMN: easier to read out and to type."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise_code(typed: str) -> str:
    """What the person typed, without spaces or dashes, in capitals."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def issue_code(actor: User, user: User) -> str:
    """A new code for `user` (older unused ones stop working); returned once, grouped."""
    now = utcnow()
    end_codes(user, now)
    code = new_code()
    reset = PasswordReset(
        user_id=user.id,
        code_hash=code_hash(code),
        created_by_id=actor.id,
        created_at=now,
        expires_at=now + timedelta(hours=current_app.config["QADAM_RESET_HOURS"]),
    )
    db.session.add(reset)
    db.session.flush()
    access.record(actor, user, "reset_issued", f"code {reset.id}")
    return grouped(code)


def end_codes(user: User, now: datetime | None = None) -> None:
    """Every code of `user` not yet used expires now."""
    now = now or utcnow()
    db.session.execute(
        update(PasswordReset)
        .where(
            PasswordReset.user_id == user.id,
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > now,
        )
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )


def redeem(email: str, code: str, password: str) -> User | None:
    """Set the password of the active user this unused, unexpired code was given to, and
    end every session they have open.

    None for a wrong, expired or used code and for an unknown address alike: one query
    answers all four, so neither the answer nor its timing tells them apart. A password the
    policy refuses raises InvalidInput and leaves the code unused.
    """
    now = utcnow()
    row = db.session.execute(
        select(PasswordReset.id, User)
        .join(User, User.id == PasswordReset.user_id)
        .where(
            PasswordReset.code_hash == code_hash(code),
            User.email == normalise_email(email),
            User.active.is_(True),
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > now,
        )
    ).first()
    if row is None:
        return None
    user = row[1]
    check_new_password(password, [user.email, user.display_name])
    if not _claim(row[0], now):
        return None
    user.password_hash = hash_password(password)
    sessions.end_all(user, "password_changed")  # whoever knew the old password is logged out
    access.record(user, user, "password_reset", f"code {row[0]}")
    db.session.flush()
    return user


def _claim(reset_id: int, now: datetime) -> bool:
    """Mark the code used; False if a concurrent request used it first."""
    result = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
