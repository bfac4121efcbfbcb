"""Deny by default (issue 5, point 1): every route needs a login unless it is listed public."""

import re
import uuid

import pytest

from app import create_app
from app.auth.public import PUBLIC_ENDPOINTS
from app.extensions import db

ANY_ID = str(uuid.uuid4())


def protected_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        path = re.sub(r"<[^>]+>", ANY_ID, re.sub(r"<int:[^>]+>", "1", rule.rule))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, path


def test_every_route_is_public_or_needs_a_login(app):
    client = app.test_client()
    client.environ_base["HTTP_ORIGIN"] = "http://localhost"
    routes = list(protected_routes(app))
    assert len(routes) > 30
    for endpoint, method, path in routes:
        response = client.open(path, method=method)
        refused = (
            response.status_code == 401
            or (response.status_code == 302 and response.location.startswith("/login"))
            or response.status_code == 400
        )  # a POST without a CSRF token stops even earlier
        assert refused, f"{method} {path} ({endpoint}) answered {response.status_code}"


def test_the_public_list_names_only_real_endpoints(app):
    assert set(app.view_functions) >= PUBLIC_ENDPOINTS


@pytest.mark.parametrize(
    "path", ["/login", "/health", "/api/ping", "/manifest.webmanifest", "/sw.js"]
)
def test_public_pages_answer_without_a_login(client, path):
    assert client.get(path).status_code in (200, 204)


def test_a_new_route_without_any_decorator_is_protected(app):
    # A second app on the suite's database: sessions (and the flashed message) are stored there.
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    other = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database})
    other.add_url_rule("/forgot-to-protect", "forgot", lambda: "secret")
    response = other.test_client().get("/forgot-to-protect")
    assert response.status_code == 302
    assert response.location.startswith("/login")
    with other.app_context():
        db.engine.dispose()


def test_a_signed_in_person_cannot_use_a_route_that_declares_no_roles(app, client, auth):
    from flask_login import login_required

    from tests.factories import UserFactory

    app.view_functions["attendance.today"], original = (
        login_required(lambda: "secret"),
        app.view_functions["attendance.today"],
    )
    try:
        auth.log_in_as(UserFactory())
        assert client.get("/today").status_code == 404
    finally:
        app.view_functions["attendance.today"] = original
