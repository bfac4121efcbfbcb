"""Two-factor for the demo's own accounts.

A person trying the demo has no phone enrolled for the social worker, committee member or
administrator accounts, whose roles require two-factor. The demo turns it on for them with a
secret of its own, and `flask demo code EMAIL` prints the code of the moment, for those
accounts only: the setting below lists them, by id.
"""

import pyotp
from flask_babel import lazy_gettext as _l

from app.auth import two_factor
from app.auth.models import User
from app.auth.services import find_user
from app.core.errors import InvalidInput
from app.core.models import get_setting, set_setting, utcnow

DEMO_TWO_FACTOR = "demo_two_factor_users"


def turn_on_where_required(users: list[User]) -> list[User]:
    """Two-factor on for the users whose role requires it; those users."""
    required = [user for user in users if two_factor.required(user)]
    for user in required:
        user.totp_secret = pyotp.random_base32()
        user.totp_enabled_at = utcnow()
    set_setting(DEMO_TWO_FACTOR, ",".join(str(user.id) for user in required))
    return required


def current_code(email: str) -> str:
    """The code the demo account's authenticator app would show now."""
    user = find_user(email)
    demo_ids = (get_setting(DEMO_TWO_FACTOR) or "").split(",")
    if user is None or str(user.id) not in demo_ids or not user.has_two_factor:
        raise InvalidInput(_l("Only the demo's own accounts with two-factor have a code to show."))
    return pyotp.TOTP(user.totp_secret).now()
