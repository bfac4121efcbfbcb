"""Sessions kept on the server and revocable (issue 5, point 4)."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale, gettext
from flask_login.utils import encode_cookie
from sqlalchemy import select

from app import create_app
from app.admin import accounts
from app.auth import resets
from app.auth.models import AccessChange, Role, UserSession
from app.core import clock
from app.core.errors import InvalidInput
from app.extensions import db
from tests.conftest import Auth, IsolatedClient
from tests.factories import ChildFactory, UserFactory
from tests.test_sync import make_op, marks

NEW_PASSWORD = "a brand new passphrase"
START = datetime(2026, 11, 18, 3, 0, tzinfo=UTC)  # 08:00 in Almaty


class MovingClock:
    def __init__(self, start: datetime):
        self.now = start

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def moving(monkeypatch) -> MovingClock:
    """The sessions' clock, moved by hand."""
    moving = MovingClock(START)
    monkeypatch.setattr(clock, "now", lambda: moving.now)
    return moving


def phone(app) -> IsolatedClient:
    """Another device: its own cookies."""
    app.test_client_class = IsolatedClient
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.environ_base["HTTP_ORIGIN"] = "http://localhost"
    return client


def logged_in(app, user):
    client = phone(app)
    assert Auth(client).login(user).status_code == 303
    return client


def token(client) -> str:
    return client.get_cookie("qadam").value


def is_logged_in(client) -> bool:
    """Asked through a page every role has (the list of pages to keep offline)."""
    response = client.get("/api/offline-pages")
    assert response.status_code in (200, 401)
    return response.status_code == 200


def with_cookie(app, value: str) -> IsolatedClient:
    """A device that got hold of a copy of a session cookie."""
    client = phone(app)
    client.set_cookie("qadam", value)
    return client


def rows(**where) -> list[UserSession]:
    db.session.expire_all()
    statement = select(UserSession).filter_by(**where).order_by(UserSession.id)
    return list(db.session.scalars(statement))


def row_of(value: str) -> UserSession:
    [row] = rows(token_hash=hashlib.sha256(value.encode()).hexdigest())
    return row


def post(client, url, data=None):
    return client.post(url, data={**(data or {}), "csrf_token": Auth(client).csrf_token()})


@pytest.fixture
def admin(auth):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    auth.login(admin)
    return admin


# -- what is stored


def test_the_cookie_holds_a_random_token_and_the_database_only_its_hash(client):
    client.get("/login")
    value = token(client)
    assert len(value) >= 43  # 32 random bytes
    [row] = rows()
    assert row.token_hash == hashlib.sha256(value.encode()).hexdigest()
    assert value not in row.data and row.user_id is None


def test_a_visit_that_keeps_nothing_stores_no_session(client):
    assert client.get("/health").status_code == 200
    assert client.get("/api/ping").status_code == 204
    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200
    assert rows() == []
    assert client.get_cookie("qadam") is None


def test_a_logged_in_session_is_stored_with_its_user(app, teacher):
    client = logged_in(app, teacher)
    row = row_of(token(client))
    assert row.user_id == teacher.id and row.ended_at is None
    assert row.remote_addr == "127.0.0.1"


# -- a fresh session at login


def test_login_gives_a_new_session_id_and_the_one_from_before_opens_nothing(app, teacher):
    client = phone(app)
    client.get("/login")
    before = token(client)
    assert Auth(client).login(teacher).status_code == 303
    after = token(client)
    assert after != before
    assert is_logged_in(client)
    assert row_of(before).end_reason == "replaced_at_login"
    # Someone who planted or read the pre-login cookie is not logged in with it.
    assert not is_logged_in(with_cookie(app, before))


def test_a_request_sent_just_before_the_login_does_not_undo_it(app, teacher, moving):
    """The service worker may still be saving the offline page with the pre-login cookie."""
    client = phone(app)
    client.get("/login")
    before = token(client)
    Auth(client).login(teacher)
    late = with_cookie(app, before)
    response = late.get("/offline")
    assert response.status_code == 200
    assert response.headers.getlist("Set-Cookie") == []  # the phone keeps the new cookie
    assert not is_logged_in(late)
    assert is_logged_in(client)
    moving.advance(minutes=2)
    assert late.get("/login").headers.getlist("Set-Cookie")  # now simply a new visitor


def test_a_language_chosen_before_login_becomes_the_users_language(app):
    user = UserFactory(preferred_language=None)
    client = phone(app)
    csrf = Auth(client).csrf_token()
    client.post("/language", data={"lang": "ru", "next": "/login", "csrf_token": csrf})
    assert Auth(client).login(user).status_code == 303
    db.session.refresh(user)
    assert user.preferred_language == "ru"
    assert 'lang="ru"' in client.get("/today").get_data(as_text=True)


def test_login_sets_no_remember_me_cookie(app, teacher):
    client = phone(app)
    response = Auth(client).login(teacher)
    cookies = response.headers.getlist("Set-Cookie")
    assert [c.split("=")[0] for c in cookies] == ["qadam"]


def test_a_forged_remember_me_cookie_logs_nobody_in(app, teacher):
    """Even signed with the app's own key, as Flask-Login would have made it."""
    client = phone(app)
    client.set_cookie("remember_token", encode_cookie(str(teacher.id)))
    assert not is_logged_in(client)


# -- logout


def test_a_session_cookie_replayed_after_logout_is_refused(app, teacher):
    client = logged_in(app, teacher)
    copied = token(client)
    assert is_logged_in(with_cookie(app, copied))
    response = post(client, "/logout")
    assert response.status_code == 303
    assert row_of(copied).end_reason == "logout"
    assert not is_logged_in(with_cookie(app, copied))
    assert not is_logged_in(client)


def test_a_request_sent_just_before_the_logout_does_not_replace_the_cookie(app, teacher):
    client = logged_in(app, teacher)
    late = with_cookie(app, token(client))
    post(client, "/logout")
    response = late.get("/offline")
    assert response.status_code == 200
    assert response.headers.getlist("Set-Cookie") == []
    assert not is_logged_in(late)


def test_logout_removes_the_cookie(app, teacher):
    client = logged_in(app, teacher)
    response = post(client, "/logout")
    [cookie] = response.headers.getlist("Set-Cookie")
    assert cookie.startswith("qadam=;") and "Expires=Thu, 01 Jan 1970" in cookie


# -- timeouts


def test_a_session_ends_after_30_minutes_without_a_request(app, teacher, moving):
    client = logged_in(app, teacher)
    moving.advance(minutes=29)
    assert is_logged_in(client)
    moving.advance(minutes=29)  # 58 minutes after the login, 29 after the last request
    assert is_logged_in(client)
    copied = token(client)
    moving.advance(minutes=31)
    assert not is_logged_in(client)
    assert row_of(copied).end_reason == "idle"


def test_last_seen_is_written_at_most_once_a_minute(app, teacher, moving):
    client = logged_in(app, teacher)
    client.get("/today")  # its first form stores a CSRF token in the session: a write
    row = row_of(token(client))
    moving.advance(seconds=30)
    client.get("/today")
    assert row_of(token(client)).last_seen_at == row.last_seen_at
    moving.advance(seconds=40)
    client.get("/today")
    assert row_of(token(client)).last_seen_at == START + timedelta(seconds=70)


def test_a_session_ends_12_hours_after_the_login_even_when_in_use(app, teacher, moving):
    client = logged_in(app, teacher)
    copied = token(client)
    for _ in range(35):  # a request every 20 minutes: 11 h 40 min
        moving.advance(minutes=20)
        assert is_logged_in(client)
    moving.advance(minutes=21)
    assert not is_logged_in(client)
    assert row_of(copied).end_reason == "expired"


def test_the_timeouts_are_configurable(app, teacher, moving, monkeypatch):
    monkeypatch.setitem(app.config, "QADAM_SESSION_IDLE_MINUTES", 5)
    monkeypatch.setitem(app.config, "QADAM_SESSION_MAX_HOURS", 1)
    idle = logged_in(app, teacher)
    moving.advance(minutes=6)
    assert not is_logged_in(idle)
    busy = logged_in(app, teacher)
    for _ in range(15):
        moving.advance(minutes=4)
        assert is_logged_in(busy)
    moving.advance(minutes=1)
    assert not is_logged_in(busy)


def test_the_timeouts_default_to_30_minutes_and_12_hours(app):
    assert app.config["QADAM_SESSION_IDLE_MINUTES"] == 30
    assert app.config["QADAM_SESSION_MAX_HOURS"] == 12


def test_a_login_page_left_open_for_hours_still_logs_in(app, teacher, moving):
    """The timeouts are for logins; a visitor's CSRF token and language last a day."""
    client = phone(app)
    csrf = Auth(client).csrf_token()
    moving.advance(hours=5)
    data = {"email": teacher.email, "password": "correct horse battery staple", "csrf_token": csrf}
    assert client.post("/login", data=data).status_code == 303


def test_an_expired_session_gets_401_json_from_the_sync_and_the_op_applies_after_login(
    app, teacher, school_class, moving
):
    child = ChildFactory(school_class=school_class)
    client = logged_in(app, teacher)
    op = make_op(child)

    def sync(csrf: str):
        return client.post("/api/sync", json={"ops": [op]}, headers={"X-CSRFToken": csrf})

    offline_page_token = Auth(client).csrf_token()  # in the page the phone kept offline
    moving.advance(minutes=45)
    response = sync(offline_page_token)
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/json"
    assert response.json["error"] == "login_required"
    assert marks() == []
    assert Auth(client).login(teacher).status_code == 303
    response = sync(Auth(client).csrf_token())  # the outbox sends the same op again
    assert response.status_code == 200
    assert response.json["results"][0]["result"] == "applied"
    assert [mark.child_id for mark in marks()] == [child.id]


@pytest.mark.parametrize("language", ["kk", "ru", "ar"])
def test_a_form_posted_after_the_session_lapsed_is_refused_marked_for_the_page_in_its_language(
    app, teacher, school_class, moving, language
):
    client = logged_in(app, teacher)
    url = f"/classes/{school_class.id}/roll-call"
    form_token = Auth(client).csrf_token()  # in the page left open
    moving.advance(minutes=45)
    # The page's script asks in the page's language: the lapsed session no longer knows it.
    headers = {"Accept-Language": language}
    response = client.post(url, data={"csrf_token": form_token}, headers=headers)
    assert response.status_code == 400
    assert response.headers["X-Qadam-Login-Needed"] == "csrf"  # the script keeps the form
    source = "Your form expired or was tampered with. Please reload the page and try again."
    with force_locale(language):
        expired = gettext(source)
    assert expired != source
    assert expired in response.get_data(as_text=True)


# -- revocation


def test_a_new_password_ends_every_session_of_that_user(app, teacher):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    other = UserFactory()
    phones = [logged_in(app, teacher), logged_in(app, teacher)]
    colleague = logged_in(app, other)
    code = resets.issue_code(admin, teacher)
    db.session.commit()
    data = {"email": teacher.email, "code": code, "password": NEW_PASSWORD}
    response = post(phone(app), "/password/reset", {**data, "confirm": NEW_PASSWORD})
    assert response.status_code == 303
    assert not any(is_logged_in(p) for p in phones)
    assert {row.end_reason for row in rows(user_id=teacher.id)} == {"password_changed"}
    assert is_logged_in(colleague)
    assert Auth(phones[0]).login(teacher, password=NEW_PASSWORD).status_code == 303


def test_deactivating_an_account_ends_its_sessions_for_good(app, auth, admin, teacher):
    theirs = logged_in(app, teacher)
    copied = token(theirs)
    assert post(auth.client, f"/admin/users/{teacher.id}/deactivate").status_code == 303
    assert row_of(copied).end_reason == "deactivated"
    # Reactivated, the account needs a new login: the old session stays ended.
    assert post(auth.client, f"/admin/users/{teacher.id}/reactivate").status_code == 303
    assert not is_logged_in(with_cookie(app, copied))


def test_the_users_page_shows_on_how_many_devices_they_are_logged_in(app, auth, admin, teacher):
    assert "Not logged in on any device." in auth.client.get(f"/admin/users/{teacher.id}").text
    for _ in range(2):
        logged_in(app, teacher)
    assert "Logged in on 2 devices." in auth.client.get(f"/admin/users/{teacher.id}").text


def test_an_administrator_ends_all_sessions_of_a_user_and_it_is_recorded(app, auth, admin, teacher):
    phones = [logged_in(app, teacher), logged_in(app, teacher)]
    colleague = logged_in(app, UserFactory())
    page = auth.client.get(f"/admin/users/{teacher.id}").text
    assert "End all sessions" in page
    response = post(auth.client, f"/admin/users/{teacher.id}/sessions/end")
    assert response.status_code == 303
    page = auth.client.get(response.location).text
    assert "2 sessions ended: this person must log in again." in page
    assert "Not logged in on any device." in page
    assert not any(is_logged_in(p) for p in phones)
    assert is_logged_in(colleague) and is_logged_in(auth.client)
    [change] = db.session.scalars(
        select(AccessChange).where(AccessChange.change == "sessions_ended")
    ).all()
    assert (change.actor_id, change.user_id, change.detail) == (admin.id, teacher.id, "2")
    history = re.sub(r"\s+", " ", page.split('id="history"')[1])
    assert "2 sessions ended" in history


def test_resetting_two_factor_ends_every_session_of_the_lost_phones_owner(app, auth, admin):
    worker = UserFactory(role=Role.SOCIAL_WORKER)  # two-factor on
    lost_phone, laptop = logged_in(app, worker), logged_in(app, worker)
    colleague = logged_in(app, UserFactory())
    response = post(auth.client, f"/admin/users/{worker.id}/two-factor/reset")
    assert response.status_code == 303
    for device in (lost_phone, laptop):
        enrolment = device.get("/account/two-factor")  # where a new authenticator would start
        assert enrolment.status_code == 302 and enrolment.location.startswith("/login")
    assert rows(user_id=worker.id, ended_at=None) == []
    assert {row.end_reason for row in rows(user_id=worker.id)} == {"two_factor_reset"}
    assert is_logged_in(colleague) and is_logged_in(auth.client)


def test_ending_sessions_needs_the_csrf_token(app, auth, admin, teacher):
    theirs = logged_in(app, teacher)
    response = auth.client.post(f"/admin/users/{teacher.id}/sessions/end")
    assert response.status_code == 400
    assert is_logged_in(theirs)


def test_only_an_administrator_ends_sessions(app, teacher):
    colleague = logged_in(app, UserFactory())
    theirs = logged_in(app, teacher)
    assert post(colleague, f"/admin/users/{teacher.id}/sessions/end").status_code == 404
    assert is_logged_in(theirs)


def test_an_administrator_does_not_end_their_own_sessions_from_their_page(auth, admin):
    assert "End all sessions" not in auth.client.get(f"/admin/users/{admin.id}").text
    with pytest.raises(InvalidInput):
        accounts.end_sessions(admin, admin)


# -- cookies


def test_the_cookie_is_httponly_and_samesite_lax_without_the_host_prefix_in_development(client):
    [cookie] = client.get("/login").headers.getlist("Set-Cookie")
    attributes = [part.strip() for part in cookie.split(";")]
    assert attributes[0].startswith("qadam=")
    assert {"HttpOnly", "Path=/", "SameSite=Lax"} <= set(attributes)
    assert "Secure" not in attributes


def test_in_production_the_cookie_is_host_prefixed_secure_httponly_and_samesite_lax(app):
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    production = create_app(
        "production", {"SECRET_KEY": "x" * 64, "SQLALCHEMY_DATABASE_URI": database}
    )
    try:
        response = production.test_client().get("/login", base_url="https://qadam.example")
        [cookie] = response.headers.getlist("Set-Cookie")
    finally:
        with production.app_context():
            db.engine.dispose()
    attributes = [part.strip() for part in cookie.split(";")]
    assert attributes[0].startswith("__Host-qadam=")
    assert {"Secure", "HttpOnly", "Path=/", "SameSite=Lax"} <= set(attributes)
    assert not [a for a in attributes if a.lower().startswith("domain=")]


# -- housekeeping


def test_prune_deletes_sessions_a_day_after_they_ended_or_lapsed(app, runner, moving):
    anonymous = phone(app)
    anonymous.get("/login")  # a visitor who never logs in
    logged_out = logged_in(app, UserFactory())
    post(logged_out, "/logout")
    logged_in(app, UserFactory())  # never comes back: idle after 30 minutes
    moving.advance(hours=24, minutes=50)
    recent_logout = logged_in(app, UserFactory())
    post(recent_logout, "/logout")
    still_in = logged_in(app, UserFactory())
    kept = {row.id for row in rows() if row.last_seen_at > START + timedelta(hours=1)}
    assert len(rows()) > len(kept) >= 4

    result = runner.invoke(args=["sessions", "prune"])
    assert result.exit_code == 0, result.output
    assert {row.id for row in rows()} == kept
    assert is_logged_in(still_in)
