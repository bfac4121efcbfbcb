"""The server's outbox key pair: phones seal entries with its public half (see sealed.py).

The private key is a PEM file: QADAM_OUTBOX_KEY names it; without it the key lives in the
instance folder (instance/outbox-key.pem, mode 0600), made at first use. Entries sealed with
a key that is lost can never be read: back the file up with the database. To rotate, make a
new key (`flask outbox-key create`), point QADAM_OUTBOX_KEY at it and list the old file in
QADAM_OUTBOX_OLD_KEYS until every phone has synced what it sealed with the old one.
"""

import base64
import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass

import click
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, current_app
from flask.cli import AppGroup

log = logging.getLogger(__name__)

KEY_BITS = 3072
DEFAULT_FILE = "outbox-key.pem"
_EXTENSION = "qadam_outbox_keys"


@dataclass(frozen=True)
class OutboxKeys:
    """The current key (phones seal with it) and every key the server can still open."""

    key_id: str
    public_spki: bytes
    private: dict[str, rsa.RSAPrivateKey]


def key_id(public_key: rsa.RSAPublicKey) -> str:
    """The first 16 hex digits of the SHA-256 of the public key (DER SubjectPublicKeyInfo)."""
    return hashlib.sha256(_spki(public_key)).hexdigest()[:16]


def public_key_base64() -> str:
    return base64.b64encode(keys().public_spki).decode()


def keys(app: Flask | None = None) -> OutboxKeys:
    """The keys, loaded (or made) once per process."""
    app = app or current_app
    loaded = app.extensions.get(_EXTENSION)
    if loaded is None:
        loaded = app.extensions[_EXTENSION] = _load(app)
    return loaded


def _load(app: Flask) -> OutboxKeys:
    path = app.config.get("QADAM_OUTBOX_KEY") or os.path.join(app.instance_path, DEFAULT_FILE)
    current = _read(path) if app.config.get("QADAM_OUTBOX_KEY") else _read_or_create(path)
    private = {key_id(current.public_key()): current}
    for old_path in app.config.get("QADAM_OUTBOX_OLD_KEYS") or ():
        old = _read(old_path)
        private.setdefault(key_id(old.public_key()), old)
    current_id = key_id(current.public_key())
    return OutboxKeys(current_id, _spki(current.public_key()), private)


def _read(path: str) -> rsa.RSAPrivateKey:
    with open(path, "rb") as pem:
        key = serialization.load_pem_private_key(pem.read(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < KEY_BITS:
        raise RuntimeError(f"{path} is not an RSA private key of at least {KEY_BITS} bits.")
    return key


def _read_or_create(path: str) -> rsa.RSAPrivateKey:
    if not os.path.exists(path):
        write_new_key(path)
        log.warning("Made a new outbox key in %s: back it up with the database.", path)
    return _read(path)


def write_new_key(path: str) -> str:
    """Write a new private key to `path` (mode 0600, never over an existing file); its id.

    Written aside and linked into place, so a second process starting at the same moment
    reads a whole file: the first link wins, the other keeps the key already there.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".outbox-key-")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(pem)
        os.link(temporary, path)
    except FileExistsError:
        return key_id(_read(path).public_key())
    finally:
        os.unlink(temporary)
    return key_id(key.public_key())


def _spki(public_key: rsa.RSAPublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


outbox_key_cli = AppGroup("outbox-key", help="The key phones seal outbox entries with.")


@outbox_key_cli.command("create")
@click.argument("path", type=click.Path(dir_okay=False))
def create(path: str) -> None:
    """Write a new private key to PATH (never over an existing file)."""
    if os.path.exists(path):
        raise click.ClickException(f"{path} exists; choose another file.")
    click.echo(
        f"Wrote {path}, key id {write_new_key(path)}. Back it up; then set QADAM_OUTBOX_KEY."
    )


@outbox_key_cli.command("show")
def show() -> None:
    """The id of the key phones seal with now, and the ids the server can still open."""
    loaded = keys()
    click.echo(f"current: {loaded.key_id}")
    for old in sorted(set(loaded.private) - {loaded.key_id}):
        click.echo(f"old: {old}")
