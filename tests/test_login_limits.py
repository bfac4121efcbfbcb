"""Failed attempts are limited per account and per client address (issue 5, point 5)."""

import os
import re
import time
import types
import uuid

import pytest
from sqlalchemy import select

from app import create_app
from app.auth import resets, throttle
from app.auth.models import Role
from app.config import Config
from app.core.audit import AuditEvent
from app.extensions import db
from tests.factories import PASSWORD, UserFactory

WRONG = "not the password at all"
LOCKED = "Too many attempts. Try again in"


def attempt(auth, email, password=WRONG, address="203.0.113.1", client=None):
    client = client or auth.client
    data = {"email": email, "password": password, "csrf_token": auth.csrf_token()}
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})


def fail(auth, email, times, address="203.0.113.1"):
    for _ in range(times):
        assert attempt(auth, email, address=address).status_code == 422


def logged_in(auth) -> bool:
    return auth.client.get("/today").status_code == 200


def page(response) -> str:
    """The page without what differs by design: typed values, tokens, the script nonce."""
    return re.sub(r'(value|nonce)="[^"]*"', "", response.get_data(as_text=True))


@pytest.fixture
def limiter_clock(monkeypatch):
    """A clock for the limiter's memory storage that a test moves forward."""
    clock = types.SimpleNamespace(now=time.time())
    fake_time = types.SimpleNamespace(time=lambda: clock.now)
    monkeypatch.setattr("limits.storage.memory.time", fake_time)
    monkeypatch.setattr("app.auth.throttle.time", fake_time)
    return clock


def test_the_defaults_are_5_failures_per_account_and_20_per_address_in_15_minutes():
    assert Config.QADAM_LOGIN_LIMIT_ACCOUNT == "5 per 15 minutes"
    assert Config.QADAM_LOGIN_LIMIT_ADDRESS == "20 per 15 minutes"
    assert Config.RATELIMIT_STORAGE_URI == "memory://"


def test_an_account_is_locked_after_5_failures_from_different_addresses(auth):
    user = UserFactory()
    for n in range(5):
        assert attempt(auth, user.email, address=f"198.51.100.{n}").status_code == 422
    locked = attempt(auth, user.email, password=PASSWORD, address="192.0.2.99")
    assert locked.status_code == 429
    assert f"{LOCKED} 15 minutes." in locked.get_data(as_text=True)
    assert not logged_in(auth)


def test_an_address_is_locked_after_20_failures_across_accounts(auth):
    for n in range(20):
        assert attempt(auth, f"guess{n}@school.example").status_code == 422
    user = UserFactory()
    assert attempt(auth, user.email, password=PASSWORD).status_code == 429
    assert not logged_in(auth)
    # The same person from another address is not held up by that one.
    assert attempt(auth, user.email, password=PASSWORD, address="192.0.2.7").status_code == 303


def test_a_known_and_an_unknown_account_get_the_same_lock(auth):
    user = UserFactory(email="known@school.example")
    fail(auth, user.email, 5, address="198.51.100.1")
    fail(auth, "nobody@school.example", 5, address="198.51.100.2")
    known = attempt(auth, user.email, address="192.0.2.1")
    unknown = attempt(auth, "nobody@school.example", address="192.0.2.2")
    assert known.status_code == unknown.status_code == 429
    assert page(known) == page(unknown)
    # Both locks began a moment apart: on a busy machine a second may pass between them.
    assert abs(int(known.headers["Retry-After"]) - int(unknown.headers["Retry-After"])) <= 1
    assert LOCKED in page(known)


def test_the_right_password_during_a_lock_does_not_log_in(auth):
    user = UserFactory()
    fail(auth, user.email, 5)
    response = attempt(auth, user.email, password=PASSWORD, address="192.0.2.50")
    assert response.status_code == 429
    assert not logged_in(auth)
    login_events = select(AuditEvent).where(AuditEvent.action == "login")
    assert db.session.scalars(login_events).all() == []


def test_successful_logins_do_not_count(auth):
    user = UserFactory()
    for _ in range(8):
        assert attempt(auth, user.email, password=PASSWORD).status_code == 303
        auth.client.post("/logout", data={"csrf_token": auth.csrf_token()})
    fail(auth, user.email, 4)
    assert attempt(auth, user.email, password=PASSWORD).status_code == 303


def test_the_lock_ends_when_the_window_has_passed(auth, limiter_clock):
    user = UserFactory()
    fail(auth, user.email, 5)
    limiter_clock.now += 14 * 60 + 30
    almost = attempt(auth, user.email, password=PASSWORD)
    assert almost.status_code == 429
    assert f"{LOCKED} 1 minute." in almost.get_data(as_text=True)
    limiter_clock.now += 31
    assert attempt(auth, user.email, password=PASSWORD).status_code == 303
    assert logged_in(auth)


def test_the_limits_are_configurable(app, auth, monkeypatch):
    monkeypatch.setitem(app.config, "QADAM_LOGIN_LIMIT_ACCOUNT", "2 per 1 hour")
    user = UserFactory()
    fail(auth, user.email, 2)
    response = attempt(auth, user.email, password=PASSWORD)
    assert response.status_code == 429
    assert f"{LOCKED} 60 minutes." in response.get_data(as_text=True)


def test_a_mistyped_limit_stops_the_start(app):
    with pytest.raises(ValueError):
        create_app("testing", {"QADAM_LOGIN_LIMIT_ADDRESS": "twenty a day"})


def test_a_lock_is_audited_once_with_ids_only(auth):
    user = UserFactory(email="target@school.example")
    fail(auth, user.email, 5)
    attempt(auth, user.email)
    attempt(auth, user.email)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login_locked"))
    locks = [(e.record_type, e.record_id, e.remote_addr) for e in events]
    assert locks == [("user", str(user.id), "203.0.113.1")]
    every_value = [str(v) for e in db.session.scalars(select(AuditEvent)) for v in vars(e).values()]
    assert not any("target" in value for value in every_value)


def test_a_locked_address_is_audited(auth):
    for n in range(20):
        attempt(auth, f"guess{n}@school.example", address="198.51.100.20")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login_locked"))
    assert [(e.record_type, e.remote_addr) for e in events] == [("address", "198.51.100.20")]


def test_the_one_time_code_page_is_limited_too(auth):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    user = UserFactory()
    code = resets.issue_code(admin, user)
    db.session.commit()

    def redeem(typed_code, address="203.0.113.1"):
        data = {"email": user.email, "code": typed_code, "password": "a new passphrase here"}
        data |= {"confirm": data["password"], "csrf_token": auth.csrf_token()}
        return auth.client.post("/password/reset", data=data, environ_base={"REMOTE_ADDR": address})

    for n in range(5):
        assert redeem("ABCD-EFGH-JKMN", address=f"198.51.100.{n}").status_code == 422
    locked = redeem(code)
    assert locked.status_code == 429
    assert LOCKED in locked.get_data(as_text=True)
    assert attempt(auth, user.email, password="a new passphrase here").status_code == 422


def test_the_client_address_comes_from_the_proxy_headers_only_when_configured(app):
    def audited_address(proxy_count: int) -> str:
        config = {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "WTF_CSRF_ENABLED": False,
            "QADAM_PROXY_COUNT": proxy_count,
        }
        other = create_app("testing", config)
        try:
            other.test_client().post(
                "/login",
                data={"email": "a@school.example", "password": WRONG},
                headers={"X-Forwarded-For": "203.0.113.77", "Origin": "http://localhost"},
                environ_base={"REMOTE_ADDR": "10.0.0.2"},
            )
        finally:
            with other.app_context():
                db.engine.dispose()
        return db.session.scalars(select(AuditEvent.remote_addr).order_by(AuditEvent.id)).all()[-1]

    assert audited_address(0) == "10.0.0.2"
    assert audited_address(1) == "203.0.113.77"


def _redis_answers() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def test_the_limits_hold_across_workers_with_redis_storage(app):
    if not _redis_answers():
        if os.environ.get("QADAM_REQUIRE_REDIS") == "1":
            pytest.fail("Redis does not answer on 127.0.0.1:6379 and is required")
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    prefix = f"qadam-test-{uuid.uuid4().hex}"
    config = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
        "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": prefix},
        "WTF_CSRF_ENABLED": False,
    }
    workers = [create_app("testing", config) for _ in range(2)]  # two processes' worth
    user = UserFactory(email="shared@school.example")
    try:
        for n in range(5):
            client = workers[n % 2].test_client()
            data = {"email": user.email, "password": WRONG}
            response = client.post("/login", data=data, headers={"Origin": "http://localhost"})
            assert response.status_code == 422
        client = workers[1].test_client()
        data = {"email": user.email, "password": PASSWORD}
        response = client.post("/login", data=data, headers={"Origin": "http://localhost"})
        assert response.status_code == 429
        storage = throttle.limiter(workers[0]).storage
        keys = storage.get_connection().keys(f"{prefix}:*")
        assert keys
        assert not any(b"shared" in key for key in keys)  # only a keyed hash of the address
    finally:
        throttle.limiter(workers[0]).reset()  # deletes only this test's prefix
        for worker in workers:
            with worker.app_context():
                db.engine.dispose()
