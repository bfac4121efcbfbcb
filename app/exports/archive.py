"""An AES-256 encrypted ZIP archive for exports that name children (issue 15, point 5).

The files' contents are encrypted, their names are not (ZIP keeps names in the clear): name
the files by what they hold ("children.csv"), never by a child.
"""

import io
from collections.abc import Iterable
from typing import IO

import pyzipper
from flask_babel import ngettext

from app.core.errors import InvalidInput

MIN_PASSPHRASE = 12


def encrypted_zip(files: dict[str, bytes], passphrase: str) -> bytes:
    """The files in a ZIP archive that opens only with the passphrase (WinZip AES-256)."""
    target = io.BytesIO()
    write_encrypted_zip(target, {name: [content] for name, content in files.items()}, passphrase)
    return target.getvalue()


def write_encrypted_zip(
    target: IO[bytes], files: dict[str, Iterable[bytes]], passphrase: str
) -> None:
    """The same, written to `target` as each file's chunks come: a large export goes through
    a temporary file, never whole into memory. The passphrase is checked before anything is
    read or written."""
    check_passphrase(passphrase)
    for name in files:
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise ValueError(f"Not a plain file name: {name!r}")
    with pyzipper.AESZipFile(
        target, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(passphrase.encode("utf-8"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        for name, chunks in files.items():
            with archive.open(name, "w") as member:
                for chunk in chunks:
                    member.write(chunk)


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
