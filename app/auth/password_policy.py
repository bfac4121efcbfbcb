"""What a new password must be: long enough, not common, not the person's own name or address.

No composition rules (NIST SP 800-63B, OWASP ASVS 5.0 V6.2): any character counts, spaces
included, and a long passphrase is the best password. A password is refused when, compared
without regard to case, it is on the bundled list of common and breached passwords (it works
offline; see data/NOTICE.md), or when it is one of those, or the person's name or address,
with only digits and signs around it or repeated ("monkeymonkey", "Summer2026!!!").
"""

import gzip
import string
from collections.abc import Sequence
from functools import cache
from importlib import resources

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _nl

from app.core.errors import InvalidInput

MIN_PASSWORD_LENGTH = 12
# What an attacker's rules add around a word: stripped before the list is consulted.
_AROUND = string.digits + string.punctuation + string.whitespace
_MIN_CORE = 4  # a shorter remainder says nothing: "a" is on the list


def check_new_password(password: str, user_inputs: Sequence[str | None] = ()) -> None:
    """Raise InvalidInput with a translated reason when `password` may not be chosen.

    `user_inputs` are what an attacker knows of the person: their email address and name.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            _nl(
                "The password must have at least %(num)d character.",
                "The password must have at least %(num)d characters.",
                MIN_PASSWORD_LENGTH,
            )
        )
    words = _guesses(password)
    if words & _personal(user_inputs):
        raise InvalidInput(_l("Choose a password that is not your name or email address."))
    if words & common_passwords():
        raise InvalidInput(_l("This password is too common and easy to guess. Choose another one."))


def _guesses(password: str) -> set[str]:
    """The password, lowercased, and what it is made of when it is a word dressed up."""
    lowered = password.casefold().strip()
    core = lowered.strip(_AROUND)
    words = {lowered}
    if len(core) >= _MIN_CORE:
        words |= {core, _repeated_unit(core)}
    return words


def _repeated_unit(text: str) -> str:
    """The shortest part the text repeats: abcabc -> abc (a text that repeats nothing: itself)."""
    position = (text + text).find(text, 1)
    return text[:position]


def _personal(user_inputs: Sequence[str | None]) -> set[str]:
    words = set()
    for value in filter(None, user_inputs):
        value = value.casefold().strip()
        words |= {value, "".join(value.split()), value.split("@")[0]}
    return {word for word in words if len(word) >= _MIN_CORE}


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list, read once on first use (about 20,000 entries, lowercase)."""
    data = resources.files("app.auth").joinpath("data/common-passwords.txt.gz").read_bytes()
    lines = gzip.decompress(data).decode("utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip())
