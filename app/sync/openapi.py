"""The OpenAPI 3.1 description of the outbox API, served at /openapi.json."""

from flask import current_app
from pydantic.json_schema import models_json_schema

from app.sync.parse import MAX_BATCH, MAX_INT
from app.sync.registry import KINDS
from app.sync.sealed import sealed_kinds

UUID = {"type": "string", "format": "uuid"}
ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


OP = {
    "type": "object",
    "required": ["op_id", "kind", "record_id", "base_version", "recorded_at"],
    "description": (
        "Exactly one of payload and sealed: a kind listed in x-sealed-kinds must arrive sealed, "
        "any other kind with a plain payload; otherwise the op is rejected (422)."
    ),
    "oneOf": [{"required": ["payload"]}, {"required": ["sealed"]}],
    "properties": {
        "op_id": {**UUID, "description": "Made on the device; the idempotency key."},
        "kind": {"type": "string", "description": "A kind the server knows: see x-kinds."},
        "record_id": {**UUID, "description": "The record's id, made on the device if new."},
        "base_version": {
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_INT,
            "description": "The record version the change was based on; 0 for a new record.",
        },
        "recorded_at": {
            "type": "string",
            "format": "date-time",
            "description": "When it was recorded on the device, with its UTC offset.",
        },
        "seq": {
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_INT,
            "description": (
                "Per-device sequence number. Among ops of one record from one device, the "
                "sequence decides, never arrival: an op arriving after a later one was applied "
                "is superseded."
            ),
        },
        "restamped_from": {
            "type": "string",
            "format": "date-time",
            "description": (
                "When the op is sent again re-stamped with a corrected recorded_at (it was "
                "refused with code clock_ahead): the time the device first gave it, with its "
                "UTC offset. Kept with the op; the op is judged by recorded_at."
            ),
        },
        "payload": {
            "type": "object",
            "description": (
                "The content in the clear. Each kind's content, also the sealed kinds' "
                "(inside the seal), is described by the schema x-kinds names for it."
            ),
        },
        "sealed": {"$ref": "#/components/schemas/Sealed"},
    },
}

SEALED = {
    "type": "object",
    "required": ["key_id", "wrapped_key", "iv", "ciphertext"],
    "description": (
        "The content encrypted on the device for the server alone. A fresh AES-256-GCM key "
        'encrypts the UTF-8 JSON {"payload": …} with a 12-byte IV and the associated data '
        '"<op_id>\\n<kind>\\n<record_id>" (as sent in the op); that key is wrapped with '
        "RSA-OAEP (SHA-256) under the server's public key. Base64 with padding throughout. "
        "One that does not open is rejected (422) and nothing is written."
    ),
    "properties": {
        "key_id": {
            "type": "string",
            "pattern": "^[0-9a-f]{16}$",
            "description": "Which server key it was sealed for (SHA-256 of its SPKI, 16 hex).",
        },
        "wrapped_key": {"type": "string", "contentEncoding": "base64"},
        "iv": {"type": "string", "contentEncoding": "base64"},
        "ciphertext": {
            "type": "string",
            "contentEncoding": "base64",
            "description": "AES-GCM output, the 16-byte tag at its end.",
        },
    },
}

REF = "#/components/schemas/{model}"


def payload_schemas() -> tuple[dict[str, str], dict[str, dict]]:
    """Each registered kind's payload schema (by name), and every schema they use."""
    kinds = sorted(KINDS.values(), key=lambda kind: kind.name)
    models = [(kind.payload, "validation") for kind in kinds]
    refs, defs = models_json_schema(models, ref_template=REF)
    names = {kind.name: refs[(kind.payload, "validation")]["$ref"] for kind in kinds}
    return names, defs.get("$defs", {})


def op_schema(names: dict[str, str]) -> dict:
    """An op, its payload checked against its kind's schema when it is sent in the clear."""
    by_kind = [
        {
            "if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
            "then": {"properties": {"payload": {"$ref": ref}}},
        }
        for name, ref in names.items()
    ]
    return {**OP, "allOf": by_kind}


RESULT = {
    "type": "object",
    "required": ["op_id", "status", "result"],
    "properties": {
        "op_id": {"type": ["string", "null"]},
        "status": {"type": "integer", "enum": [200, 400, 403, 404, 409, 422, 500]},
        "result": {
            "type": "string",
            "enum": [
                "applied",
                "duplicate",
                "conflict",
                "superseded",
                "in_progress",
                "rejected",
                "error",
            ],
            "description": (
                "applied, duplicate, conflict and superseded: the server has it, the op is "
                "settled (conflict: another device changed the record too; for attendance the "
                "value recorded later on its device is kept and the other is in history; with "
                "a link, fields wait for a person there. superseded: a later op of the same "
                "record from the same device was already applied; nothing was written). "
                "in_progress (409): an earlier request is still applying it; retry later. "
                "rejected: not applied, see reason (in the user's language) and code. error: "
                "the server failed; retry later."
            ),
        },
        "reason": {"type": "string"},
        "code": {
            "type": "string",
            "description": (
                "Why a rejected op was refused, for the phone to act on (the reason is for a "
                "person): clock_ahead: the device's clock was ahead; send it again re-stamped "
                "(see Op.restamped_from). Other codes may come; ignore unknown ones."
            ),
        },
        "link": {
            "type": "string",
            "description": "With a conflict that waits for a person: the page where they decide.",
        },
        "record": {
            "type": "object",
            "properties": {"id": UUID, "version": {"type": "integer"}},
        },
    },
}


def document() -> dict:
    names, payloads = payload_schemas()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Qadam outbox API",
            "version": "1",
            "description": (
                "Offline writes wait in an outbox on the device and are sent here. Each op is "
                "applied at most once per (user, op_id): the same op_id and body returns the "
                "stored result; the same op_id with another body is rejected with 422. "
                "The kinds listed in x-sealed-kinds are sent sealed for the server (see "
                "Sealed)."
            ),
        },
        "x-sealed-kinds": sorted(sealed_kinds()),
        # Each kind the server knows, and the schema of its content (the payload).
        "x-kinds": names,
        "paths": {
            "/api/sync": {
                "post": {
                    "summary": "Send a batch of ops; each is answered on its own",
                    "security": [{"session": []}],
                    "parameters": [
                        {
                            "name": "X-CSRFToken",
                            "in": "header",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Batch"}}
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "One result per op, in the order sent.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/BatchResult"}
                                }
                            },
                        },
                        "400": _error("Malformed batch, or a missing or expired CSRF token."),
                        "401": _error("Not logged in, or the session expired."),
                        "403": _error("The request came from another origin."),
                        "415": _error("The body is not JSON."),
                    },
                }
            },
            "/api/ping": {
                "get": {
                    "summary": "Answers when the server is reachable",
                    "responses": {"204": {"description": "Reachable."}},
                }
            },
            "/api/offline-pages": {
                "get": {
                    "summary": "The pages the logged-in user needs offline",
                    "security": [{"session": []}],
                    "responses": {
                        "200": {
                            "description": "Paths to cache.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "pages": {"type": "array", "items": {"type": "string"}}
                                        },
                                    }
                                }
                            },
                        },
                        "401": _error("Not logged in."),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": current_app.config["SESSION_COOKIE_NAME"],
                }
            },
            "schemas": {
                "Batch": {
                    "type": "object",
                    "required": ["ops"],
                    "properties": {
                        "device_id": UUID,
                        "ops": {
                            "type": "array",
                            "maxItems": MAX_BATCH,
                            "items": {"$ref": "#/components/schemas/Op"},
                        },
                    },
                },
                "Op": op_schema(names),
                "Sealed": SEALED,
                **payloads,
                "BatchResult": {
                    "type": "object",
                    "required": ["results", "server_time"],
                    "properties": {
                        "server_time": {"type": "string", "format": "date-time"},
                        "results": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/OpResult"},
                        },
                    },
                },
                "OpResult": RESULT,
                "Error": ERROR,
            },
        },
    }
