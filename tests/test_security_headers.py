"""Security headers on every page (issue 5, point 7)."""

import re

from app import create_app
from app.core.security import CSP
from tests.factories import UserFactory


def test_pages_send_a_nonce_based_content_security_policy(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", policy).group(1)
    html = response.get_data(as_text=True)
    scripts = re.findall(r"<script\b([^>]*)>", html)
    executable = [attrs for attrs in scripts if 'type="application/json"' not in attrs]
    assert executable and all(f'nonce="{nonce}"' in attrs for attrs in executable)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_a_new_nonce_for_every_response(client):
    first = client.get("/login").headers["Content-Security-Policy"]
    second = client.get("/login").headers["Content-Security-Policy"]
    assert first != second


def test_other_security_headers(client):
    headers = client.get("/login").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Frame-Options"] == "DENY"


def test_signed_in_pages_are_not_stored_by_the_browser(client, auth):
    auth.log_in_as(UserFactory())
    assert client.get("/today").headers["Cache-Control"] == "no-store"


def test_production_sends_hsts_over_https(monkeypatch):
    monkeypatch.setattr("app.config.ProductionConfig.SECRET_KEY", "x" * 32)
    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    response = app.test_client().get("/health", base_url="https://qadam.example")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_the_policy_allows_only_this_site():
    assert all("http" not in sources and "*" not in sources for sources in CSP.values())
