"""An AES-256 encrypted ZIP archive for exports that name children (issue 15, point 5).

The files' contents are encrypted, their names are not (ZIP keeps names in the clear): name
the files by what they hold ("children.csv"), never by a child.
"""

import io

import pyzipper
from flask_babel import ngettext

from app.core.errors import InvalidInput

MIN_PASSPHRASE = 12


def encrypted_zip(files: dict[str, bytes], passphrase: str) -> bytes:
    """The files in a ZIP archive that opens only with the passphrase (WinZip AES-256)."""
    check_passphrase(passphrase)
    for name in files:
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise ValueError(f"Not a plain file name: {name!r}")
    target = io.BytesIO()
    with pyzipper.AESZipFile(
        target, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(passphrase.encode("utf-8"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        for name, content in files.items():
            archive.writestr(name, content)
    return target.getvalue()


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too short to resist guessing (spaces alone do not count)."""
    if len(passphrase.strip()) < MIN_PASSPHRASE:
        raise InvalidInput(
            ngettext(
                "Choose a passphrase of at least %(num)d character.",
                "Choose a passphrase of at least %(num)d characters.",
                MIN_PASSPHRASE,
            )
        )
