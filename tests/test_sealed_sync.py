"""Sealed outbox entries (issue 6, point 5): only the server can open what a phone stored.

A test-only sealed kind, "sealed_test", stands for visit reports and incidents; ops are sealed
in Python exactly as the phone's seal.js does (tests/sealing.py).
"""

import base64
import json
import os
import stat
import uuid

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jsonschema import Draft202012Validator
from sqlalchemy import select

from app import create_app
from app.core.audit import AuditEvent
from app.extensions import db
from app.sync import outbox_key
from app.sync.models import SyncOp
from app.sync.sealed import associated_data, sealed_kinds, unseal
from tests.sealing import TEST_KIND, b64, register_test_kind, seal, sealed_op
from tests.test_pwa import config_block

SECRET = {"note": "Mother asked us not to tell the father where they live", "rooms": 2}


@pytest.fixture
def applied(app, monkeypatch):
    return register_test_kind(app, monkeypatch)


@pytest.fixture
def api(client, auth, teacher):
    auth.log_in_as(teacher)
    token = auth.csrf_token()

    def send(*ops):
        body = {"device_id": str(uuid.uuid4()), "ops": list(ops)}
        return client.post("/api/sync", json=body, headers={"X-CSRFToken": token})

    return send


def result_of(response) -> dict:
    [result] = response.json["results"]
    return result


def refusals() -> list[tuple[str, str]]:
    db.session.expire_all()
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sync_refused"))
    return [(row.record_type, row.record_id) for row in rows]


def sync_ops() -> list[SyncOp]:
    db.session.expire_all()
    return db.session.scalars(select(SyncOp)).all()


SEALED_KINDS = {"visit_report", "incident", "placement"}


def test_visit_reports_incidents_and_placements_are_the_sealed_kinds(app):
    with app.app_context():
        assert sealed_kinds() == SEALED_KINDS


def test_a_sealed_op_reaches_its_handler_as_the_plain_payload(api, applied):
    op = sealed_op(TEST_KIND, SECRET)
    result = result_of(api(op))
    assert (result["status"], result["result"]) == (200, "applied")
    assert applied == [SECRET]
    assert "Mother" not in json.dumps(op)  # nothing readable travelled


def test_a_sealed_op_sent_twice_is_applied_once(api, applied):
    op = sealed_op(TEST_KIND, SECRET)
    assert result_of(api(op))["result"] == "applied"
    again = result_of(api(op))
    assert again["result"] == "duplicate"
    assert applied == [SECRET]
    assert len(sync_ops()) == 1


def _flip_last_byte(text: str) -> str:
    data = bytearray(base64.b64decode(text))
    data[-1] ^= 1
    return b64(bytes(data))


def _with_sealed(op: dict, **changes) -> dict:
    return {**op, "sealed": {**op["sealed"], **changes}}


TAMPERINGS = {
    "ciphertext": lambda op: _with_sealed(
        op, ciphertext=_flip_last_byte(op["sealed"]["ciphertext"])
    ),
    "iv": lambda op: _with_sealed(op, iv=b64(os.urandom(12))),
    "wrapped key": lambda op: _with_sealed(
        op, wrapped_key=sealed_op(TEST_KIND, SECRET)["sealed"]["wrapped_key"]
    ),
    "op id swapped": lambda op: {**op, "op_id": str(uuid.uuid4())},
    "record id swapped": lambda op: {**op, "record_id": str(uuid.uuid4())},
    "not base64": lambda op: _with_sealed(op, iv="***"),
    "fields missing": lambda op: {**op, "sealed": {"key_id": op["sealed"]["key_id"]}},
}


@pytest.mark.parametrize("tampering", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_a_tampered_sealed_op_is_refused_and_nothing_is_written(api, applied, tampering):
    op = tampering(sealed_op(TEST_KIND, SECRET))
    result = result_of(api(op))
    assert (result["status"], result["result"]) == (422, "rejected")
    assert "could not be opened on the server" in result["reason"]
    assert applied == []
    assert sync_ops() == []
    assert refusals() == [("sync_op", op["op_id"])]


def test_an_op_sealed_for_an_unknown_key_is_refused(api, applied):
    op = sealed_op(TEST_KIND, SECRET)
    result = result_of(api(_with_sealed(op, key_id="0123456789abcdef")))
    assert result["result"] == "rejected"
    assert "a key the server no longer has" in result["reason"]
    assert applied == [] and sync_ops() == []


def test_a_sealed_kind_sent_in_the_clear_is_refused(api, applied):
    op = sealed_op(TEST_KIND, SECRET)
    plain = {key: value for key, value in op.items() if key != "sealed"} | {"payload": SECRET}
    result = result_of(api(plain))
    assert (result["status"], result["result"]) == (422, "rejected")
    assert "must be encrypted on the phone" in result["reason"]
    assert applied == [] and sync_ops() == []
    assert refusals() == [("sync_op", op["op_id"])]


def test_a_sealed_op_with_a_plain_payload_too_is_refused(api, applied):
    op = sealed_op(TEST_KIND, SECRET) | {"payload": SECRET}
    assert result_of(api(op))["result"] == "rejected"
    assert applied == []


def test_an_unsealed_kind_cannot_arrive_sealed(api, applied, school_class):
    op = sealed_op("attendance_mark", {"child_id": str(uuid.uuid4())})
    result = result_of(api(op))
    assert (result["status"], result["result"]) == (422, "rejected")
    assert sync_ops() == []


def test_pages_give_the_phone_the_public_key_its_id_and_the_sealed_kinds(client, auth, teacher):
    auth.log_in_as(teacher)
    config = config_block(client.get("/today"))
    outbox = config["outbox"]
    assert set(outbox["sealed_kinds"]) == SEALED_KINDS
    assert config["strings"]["kinds"]["visit_report"] == "Visit report"
    # An op sealed with the key the page gives opens on the server.
    public_key = serialization.load_der_public_key(base64.b64decode(outbox["public_key"]))
    assert isinstance(public_key, rsa.RSAPublicKey) and public_key.key_size == 3072
    op = {"op_id": str(uuid.uuid4()), "kind": TEST_KIND, "record_id": str(uuid.uuid4())}
    sealed = seal(op, SECRET, public_key, outbox["key_id"])
    assert unseal(sealed, associated_data(op)) == SECRET


def test_an_entry_sealed_before_a_key_rotation_still_opens(app, tmp_path):
    old = outbox_key.keys(app)
    default = os.path.join(app.instance_path, outbox_key.DEFAULT_FILE)
    old_path = app.config.get("QADAM_OUTBOX_KEY") or default
    new_path = str(tmp_path / "new.pem")
    outbox_key.write_new_key(new_path)
    rotated = create_app(
        "testing", {"QADAM_OUTBOX_KEY": new_path, "QADAM_OUTBOX_OLD_KEYS": (old_path,)}
    )
    op = {"op_id": str(uuid.uuid4()), "kind": TEST_KIND, "record_id": str(uuid.uuid4())}
    with app.app_context():
        sealed_before = seal(op, SECRET)
    with rotated.app_context():
        assert outbox_key.keys().key_id != old.key_id  # phones now seal with the new key
        assert unseal(sealed_before, associated_data(op)) == SECRET
        assert unseal(seal(op, SECRET), associated_data(op)) == SECRET


def test_a_new_key_file_is_private_and_never_overwritten(tmp_path):
    path = str(tmp_path / "key.pem")
    first = outbox_key.write_new_key(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path, "rb") as pem:
        before = pem.read()
    assert outbox_key.write_new_key(path) == first  # the key already there stays
    with open(path, "rb") as pem:
        assert pem.read() == before
    assert os.listdir(tmp_path) == ["key.pem"]  # no temporary file left behind


def test_the_command_line_makes_a_key_and_refuses_to_overwrite_one(runner, tmp_path):
    path = str(tmp_path / "outbox.pem")
    made = runner.invoke(args=["outbox-key", "create", path])
    assert made.exit_code == 0 and "key id" in made.output
    again = runner.invoke(args=["outbox-key", "create", path])
    assert again.exit_code != 0 and "exists" in again.output


def test_the_openapi_document_describes_sealed_ops(client):
    document = client.get("/openapi.json").json
    assert set(document["x-sealed-kinds"]) == SEALED_KINDS
    op_schema = {"$ref": "#/components/schemas/Op", "components": document["components"]}
    validator = Draft202012Validator(op_schema)
    op = sealed_op(TEST_KIND, SECRET)
    plain = {k: v for k, v in op.items() if k != "sealed"} | {"payload": SECRET}
    assert validator.is_valid(op)
    assert validator.is_valid(plain)
    assert not validator.is_valid(op | {"payload": SECRET})  # one or the other, not both
    assert not validator.is_valid(_with_sealed(op, key_id="not hex"))
