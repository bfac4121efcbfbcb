"""Every sync kind's payload is described in /openapi.json (from its pydantic model), and a
tester driven by that description alone can exercise every kind: whatever a body built from
a kind's schema holds, the op is applied or refused with a 4xx of its own, never a 5xx, and a
refusal never reaches a Russian-speaking person in English."""

import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.sync.registry import KINDS
from tests.authorisation import build_world
from tests.conftest import Auth
from tests.sealing import sealed_op

ALMATY = timezone(timedelta(hours=5))
LATIN = re.compile(r"[A-Za-z]")
# Who may write each kind, in the world of tests/authorisation.py.
WRITER = {
    "attendance_mark": "teacher_a",
    "incident": "teacher_a",
    "visit_report": "social_worker_a",
    "placement": "social_worker_a",
    "term_result": "teacher_a",
    "task_mark": "social_worker_a",
}


def from_schema(schema: dict, components: dict, ids: list[str]) -> st.SearchStrategy:
    """Values a JSON Schema (the subset pydantic writes) allows, and now and then one it
    does not. A uuid is often one of `ids`, so that ops reach past the check of the child."""
    if "$ref" in schema:
        return from_schema(components[schema["$ref"].rsplit("/", 1)[1]], components, ids)
    if "anyOf" in schema:
        return st.one_of([from_schema(option, components, ids) for option in schema["anyOf"]])
    if "enum" in schema:
        return st.sampled_from([*schema["enum"] * 4, ""])
    kind = schema.get("type")
    if kind == "object":
        return _object(schema, components, ids)
    if kind == "array":
        items = from_schema(schema.get("items", {}), components, ids)
        return st.lists(items, max_size=schema.get("maxItems", 4) + 1)
    if kind == "integer":
        return st.integers(schema.get("minimum", -5) - 1, schema.get("maximum", 100) + 1)
    if kind == "string":
        return _string(schema, ids)
    if kind == "null":
        return st.none()
    return st.none() | st.text(max_size=8) | st.sampled_from(["2026-11-17", "fine", "urgent"])


def _string(schema: dict, ids: list[str]) -> st.SearchStrategy:
    if schema.get("format") == "uuid":
        return st.sampled_from([*ids * 2, str(uuid.uuid4())])
    if schema.get("format") == "date":
        days = ["2026-11-18", "2026-11-17", "2026-11-02", "", "0001-01-01", "2026-13-01"]
        return st.sampled_from(days) | st.dates().map(str)
    return st.text(max_size=schema.get("maxLength", 30) + 2)


def _object(schema: dict, components: dict, ids: list[str]) -> st.SearchStrategy:
    properties = schema.get("properties", {})
    if not properties and "additionalProperties" in schema:
        names = schema.get("propertyNames", {}).get("enum") or ["field"]
        values = from_schema(schema["additionalProperties"], components, ids)
        return st.dictionaries(st.sampled_from(names), values, max_size=len(names))
    required = set(schema.get("required", ()))
    fields = {name: from_schema(sub, components, ids) for name, sub in properties.items()}
    optional = st.fixed_dictionaries({}, optional=fields)
    return st.fixed_dictionaries({n: fields[n] for n in required}).flatmap(
        lambda chosen: optional.map(lambda more: more | chosen)
    )


@pytest.fixture
def document(client):
    return client.get("/openapi.json").json


@pytest.fixture
def phones(app):
    """Each writer logged in on a phone of their own, in Russian."""
    world = build_world()
    for person in world.people.values():
        person.preferred_language = "ru"
    db.session.commit()
    sessions = {}
    for key in set(WRITER.values()):
        phone = app.test_client()
        phone.environ_base["HTTP_ORIGIN"] = "http://localhost"
        auth = Auth(phone)
        auth.log_in_as(world.people[key])
        sessions[key] = (phone, auth.csrf_token())
    return world, sessions


def test_the_openapi_document_describes_every_kinds_payload(app, document):
    schemas = document["components"]["schemas"]
    with app.app_context():
        assert set(document["x-kinds"]) == set(KINDS) == set(WRITER)
    for kind, ref in document["x-kinds"].items():
        payload = schemas[ref.rsplit("/", 1)[1]]
        assert payload["type"] == "object" and "child_id" in payload["required"], kind
    checks = {rule["if"]["properties"]["kind"]["const"]: rule for rule in schemas["Op"]["allOf"]}
    assert set(checks) == set(document["x-kinds"])
    placement = schemas["PlacementPayload"]
    assert {"kind", "starts_on", "monthly_months"} <= set(placement["required"])
    assert "default" not in placement["properties"]["starts_on"]


def _op(kind: str, payload, sealed: bool) -> dict:
    if sealed:
        return sealed_op(kind, payload)
    return {
        "op_id": str(uuid.uuid4()),
        "kind": kind,
        "record_id": str(uuid.uuid4()),
        "base_version": 0,
        "recorded_at": datetime(2026, 11, 18, 8, 14, tzinfo=ALMATY).isoformat(),
        "seq": 1,
        "payload": payload,
    }


@pytest.mark.parametrize("kind", sorted(WRITER))
def test_a_body_made_from_a_kinds_schema_is_applied_or_refused_in_the_users_language(
    app, document, phones, kind
):
    world, sessions = phones
    phone, token = sessions[WRITER[kind]]
    components = document["components"]["schemas"]
    schema = components[document["x-kinds"][kind].rsplit("/", 1)[1]]
    ids = [str(world.child.id), str(world.school_class.id)]
    sealed = kind in document["x-sealed-kinds"]

    @settings(
        max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
    )
    @given(payload=from_schema(schema, components, ids))
    def check(payload):
        body = {"device_id": str(uuid.uuid4()), "ops": [_op(kind, payload, sealed)]}
        response = phone.post("/api/sync", json=body, headers={"X-CSRFToken": token})
        assert response.status_code == 200, response.get_data(as_text=True)
        [answer] = response.get_json()["results"]
        assert answer["status"] < 500, (payload, answer)
        if answer["result"] == "rejected":
            assert 400 <= answer["status"] < 500
            assert not LATIN.search(answer["reason"]), (payload, answer)

    check()


def test_a_visit_note_too_long_from_a_phone_is_refused_naming_the_check_in_russian(phones):
    world, sessions = phones
    phone, token = sessions["social_worker_a"]
    values = {"kind": "home_visit", "visited_on": "2026-11-17", "outcome": "no_concerns"}
    values |= {"stigma_note": "x" * 2001}
    fields = {name: {"base": "", "value": value} for name, value in values.items()}
    op = sealed_op("visit_report", {"child_id": str(world.child.id), "fields": fields})
    response = phone.post("/api/sync", json={"ops": [op]}, headers={"X-CSRFToken": token})
    [answer] = response.get_json()["results"]
    assert answer["status"] == 422
    assert answer["reason"].startswith("Признаки стигматизации: ")
    assert not LATIN.search(answer["reason"])
