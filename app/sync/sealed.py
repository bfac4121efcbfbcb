"""Outbox entries sealed on the phone for the server alone (issue 6, point 5).

A phone's storage can be read by whoever holds the phone, so the content of the kinds
declared sealed (SyncKind.sealed, see registry.py) is encrypted before it is stored in the
outbox (static/js/seal.js), and only the server can open it. The outbox keeps what the sync
needs in the clear (op_id, kind, record_id, base_version, seq, recorded_at, device and user
ids: ids and times only) and, instead of `payload` and `summary`, a `sealed` object:

    {
      "key_id":      the server key it was sealed for (outbox_key.key_id: 16 hex digits),
      "wrapped_key": base64 of RSA-OAEP (SHA-256, MGF1 SHA-256, no label) of a fresh
                     256-bit AES key, made for this entry alone and never stored raw,
      "iv":          base64 of 12 random bytes,
      "ciphertext":  base64 of AES-256-GCM of the plaintext, with the 16-byte tag appended
                     (as WebCrypto returns it)
    }

The plaintext is the UTF-8 JSON {"payload": {...}}. The associated data is the UTF-8 text
"<op_id>\\n<kind>\\n<record_id>", exactly as the op sends them: a ciphertext moved to another op
id, kind or record does not open. (Base64: the standard alphabet, with padding.)

The server opens a sealed op before applying it and hands the kind's handler the plain
payload; a sealed kind sent with a plain payload, a sealed op of an unsealed kind, and one
that does not open are refused (422 for that op), nothing written, and audited as refused.
The idempotency fingerprint stays over the body as sent, the sealed one.
"""

import base64
import binascii
import json
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from flask_babel import gettext as _

from app.core.errors import InvalidInput
from app.sync.outbox_key import keys
from app.sync.registry import KINDS

FIELDS = ("key_id", "wrapped_key", "iv", "ciphertext")
IV_BYTES = 12
AES_KEY_BYTES = 32

OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


class Unsealable(InvalidInput):
    """A sealed op the server cannot or must not open; nothing is written."""


def sealed_kinds() -> frozenset[str]:
    """The kinds whose content a phone must never keep readable. Tests add their own kinds
    through the app's QADAM_EXTRA_SEALED_KINDS (a test hook, not a setting)."""
    declared = frozenset(name for name, kind in KINDS.items() if kind.sealed)
    return declared | frozenset(current_app.config.get("QADAM_EXTRA_SEALED_KINDS", ()))


def associated_data(raw: dict) -> bytes:
    return f"{raw.get('op_id')}\n{raw.get('kind')}\n{raw.get('record_id')}".encode()


def plain_payload(raw: dict) -> Any:
    """The op's payload: as sent for an unsealed kind, opened for a sealed one."""
    sealed = raw.get("sealed")
    if raw.get("kind") not in sealed_kinds():
        if sealed is not None:
            raise Unsealable(_("This entry is incomplete or damaged."))
        return raw["payload"]
    if sealed is None or "payload" in raw:
        raise Unsealable(
            _(
                "This kind of entry must be encrypted on the phone. "
                "Update the app and record it again."
            )
        )
    return unseal(sealed, associated_data(raw))


def unseal(sealed: Any, aad: bytes) -> Any:
    if not isinstance(sealed, dict) or not all(isinstance(sealed.get(f), str) for f in FIELDS):
        raise _damaged()
    private = keys().private.get(sealed["key_id"])
    if private is None:
        raise Unsealable(
            _("This entry was encrypted for a key the server no longer has. It cannot be read.")
        )
    try:
        wrapped, iv, ciphertext = (_b64(sealed[f]) for f in FIELDS[1:])
        aes_key = private.decrypt(wrapped, OAEP)
        if len(aes_key) != AES_KEY_BYTES or len(iv) != IV_BYTES:
            raise ValueError("wrong length")
        plaintext = AESGCM(aes_key).decrypt(iv, ciphertext, aad)
        content = json.loads(plaintext.decode())
    except (ValueError, InvalidTag, UnicodeDecodeError, binascii.Error, RecursionError) as error:
        raise _damaged() from error
    if not isinstance(content, dict) or "payload" not in content:
        raise _damaged()
    return content["payload"]


def _b64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _damaged() -> Unsealable:
    return Unsealable(
        _(
            "This entry could not be opened on the server: it was damaged on the phone or on "
            "the way. Discard it and record it again."
        )
    )
