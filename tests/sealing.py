"""Sealing an op in Python exactly as static/js/seal.js does (format: app/sync/sealed.py).

Also for the tests of the sealed kinds themselves (visit reports, incidents): build the op
with `sealed_op(...)` and send it through the outbox API as a phone would.
"""

import base64
import json
import os
import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import ConfigDict

from app.sync.outbox_key import keys
from app.sync.payload import Payload
from app.sync.registry import KINDS, Op, Outcome, SyncKind
from app.sync.sealed import OAEP

ALMATY = timezone(timedelta(hours=5))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def seal(op: dict, payload: dict, public_key=None, key_id: str | None = None) -> dict:
    """The `sealed` object for `op` (its op_id, kind and record_id) holding `payload`."""
    if public_key is None:
        public_key = serialization.load_der_public_key(keys().public_spki)
        key_id = key_id or keys().key_id
    aes_key = AESGCM.generate_key(bit_length=256)
    iv = os.urandom(12)
    aad = f"{op['op_id']}\n{op['kind']}\n{op['record_id']}".encode()
    plaintext = json.dumps({"payload": payload}).encode()
    return {
        "key_id": key_id,
        "wrapped_key": b64(public_key.encrypt(aes_key, OAEP)),
        "iv": b64(iv),
        "ciphertext": b64(AESGCM(aes_key).encrypt(iv, plaintext, aad)),
    }


def sealed_op(kind: str, payload: dict, record_id=None, base_version: int = 0, seq: int = 1):
    """An op of `kind` as a phone sends it: the clear fields, and `payload` sealed."""
    op = {
        "op_id": str(uuid.uuid4()),
        "kind": kind,
        "record_id": str(record_id or uuid.uuid4()),
        "base_version": base_version,
        "recorded_at": datetime(2026, 11, 18, 8, 14, tzinfo=ALMATY).isoformat(),
        "seq": seq,
    }
    return {**op, "sealed": seal(op, payload)}


TEST_KIND = "sealed_test"


class AnyContent(Payload):
    """The test kind takes any object as its content."""

    model_config = ConfigDict(extra="allow", frozen=True)


def register_test_kind(app, monkeypatch) -> list[dict]:
    """Make "sealed_test" a sealed kind for this test; the payloads its handler applied.

    The handler answers "applied" and remembers each plain payload it was given.
    """
    applied: list[dict] = []

    def apply(user, op: Op) -> Outcome:
        applied.append(op.payload)
        return Outcome("applied", {"id": str(op.record_id), "version": 1})

    def apply_plain(user, op: Op) -> Outcome:
        return apply(user, replace(op, payload=op.payload.model_dump()))

    kind = SyncKind(TEST_KIND, apply_plain, AnyContent)
    monkeypatch.setitem(KINDS, TEST_KIND, kind)
    monkeypatch.setitem(app.config, "QADAM_EXTRA_SEALED_KINDS", (TEST_KIND,))
    return applied
