"""Two-factor authentication: TOTP codes from an authenticator app (RFC 6238), and recovery
codes for a lost phone. Writes flush only; the view commits.

Every change is audited and kept in the account's access history, ids only. A code is
accepted once: the time step of the last accepted code is stored, and a code of that step or
an older one is refused, also when two requests bring the same code at the same moment.
"""

import hashlib
import secrets

import pyotp
import segno
from flask import current_app
from pyotp.exceptions import OTPVerificationError
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.auth import access
from app.auth.models import RecoveryCode, Role, User
from app.auth.resets import ALPHABET, grouped, normalise_code
from app.core.audit import audit
from app.core.models import utcnow
from app.extensions import db

ISSUER = "Qadam"
RECOVERY_CODES = 10
RECOVERY_CODE_LENGTH = 12  # 31 letters and digits: about 59 bits each
DRIFT_STEPS = 1  # a phone's clock may be one 30-second step behind or ahead


def check_required_roles(roles: tuple[str, ...]) -> None:
    unknown = set(roles) - {role.value for role in Role}
    if unknown:
        raise RuntimeError(f"QADAM_2FA_REQUIRED_ROLES names unknown roles: {sorted(unknown)}")


def required(user: User) -> bool:
    """Whether the user's role may not work without two-factor authentication."""
    return user.role.value in current_app.config["QADAM_2FA_REQUIRED_ROLES"]


# -- enrolment


def pending_secret(user: User) -> str:
    """The secret the enrolment page shows: the same one until a code confirms it."""
    if user.totp_secret is None:
        user.totp_secret = pyotp.random_base32()  # 160 bits, as RFC 4226 recommends
        db.session.flush()
    return user.totp_secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code(uri: str) -> str:
    """The QR code as an SVG data: URI, drawn here; nothing leaves the server."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4)


def grouped_secret(secret: str) -> str:
    """For typing it in by hand: ABCD EFGH …"""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def enable(user: User, code: str) -> list[str] | None:
    """Switch two-factor on when `code` comes from the pending secret; the recovery codes."""
    if user.has_two_factor or user.totp_secret is None or not accept_code(user, code):
        return None
    user.totp_enabled_at = utcnow()
    _changed(user, user, "two_factor_on")
    return new_recovery_codes(user)


def disable(user: User, code: str) -> bool:
    """Switch two-factor off, with a current code; never for a role that requires it."""
    if required(user) or not user.has_two_factor or not accept_code(user, code):
        return False
    _clear(user)
    _changed(user, user, "two_factor_off")
    return True


def reset(actor: User, user: User) -> None:
    """An administrator's answer to a lost phone: the user enrols again at the next login."""
    _clear(user)
    _changed(actor, user, "two_factor_reset")


def _clear(user: User) -> None:
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


def _changed(actor: User, user: User, change: str) -> None:
    access.record(actor, user, change)
    audit(change, "user", user.id)
    db.session.flush()


# -- codes


def accept_code(user: User, typed: str) -> bool:
    """Whether `typed` is the code of now (give or take a step), used for the first time."""
    code = "".join(typed.split())
    if not (code.isascii() and code.isdigit() and len(code) == 6) or user.totp_secret is None:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    try:
        step = totp.verify_and_get_timecode(code, for_time=utcnow(), valid_window=DRIFT_STEPS)
    except OTPVerificationError:
        return False
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .where(or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False  # this code, or a later one, was already used
    set_committed_value(user, "totp_last_step", step)
    return True


def second_factor(user: User, typed: str) -> str | None:
    """At login: "totp" or "recovery" for the kind of code that was accepted, else None."""
    if accept_code(user, typed):
        return "totp"
    if use_recovery_code(user, typed):
        return "recovery"
    return None


# -- recovery codes


def new_recovery_codes(user: User) -> list[str]:
    """Ten new codes, each usable once; the older ones stop working. Shown once, grouped."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_random_code() for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(user, c)) for c in codes)
    audit("recovery_codes_new", "user", user.id)
    db.session.flush()
    return [grouped(code) for code in codes]


def _random_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))


def use_recovery_code(user: User, typed: str) -> bool:
    code = normalise_code(typed)
    if len(code) != RECOVERY_CODE_LENGTH:
        return False
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(user, code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        return False
    audit("recovery_code_used", "user", user.id)
    return True


def recovery_codes_left(user: User) -> int:
    unused = (RecoveryCode.user_id == user.id) & RecoveryCode.used_at.is_(None)
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(unused))


def _hash(user: User, code: str) -> str:
    """SHA-256 of a random code, salted with the user's id: one code fits one account only."""
    return hashlib.sha256(f"{user.id}:{normalise_code(code)}".encode()).hexdigest()
