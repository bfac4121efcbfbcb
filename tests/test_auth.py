"""Logging in and out, password hashing, and creating accounts from the command line."""

import re

from sqlalchemy import func, select

from app.auth.models import Role, User
from app.auth.passwords import hash_password
from app.config import Config
from app.core.audit import AuditEvent
from app.extensions import db
from tests.factories import PASSWORD, UserFactory


def test_login_takes_a_teacher_to_today(auth):
    teacher = UserFactory()
    response = auth.login(teacher)
    assert response.status_code == 303
    page = auth.client.get(response.location, follow_redirects=True)
    assert page.request.path == "/today"


def test_failed_login_does_not_reveal_whether_the_account_exists(auth):
    UserFactory(email="known@school.example")
    wrong_password = auth.client.post(
        "/login",
        data={
            "email": "known@school.example",
            "password": "not the password",
            "csrf_token": auth.csrf_token(),
        },
    )
    unknown = auth.client.post(
        "/login",
        data={
            "email": "nobody@school.example",
            "password": "not the password",
            "csrf_token": auth.csrf_token(),
        },
    )
    assert wrong_password.status_code == unknown.status_code == 422

    def page(response):
        html = response.get_data(as_text=True)
        # Drop the CSRF token, the typed address and the per-response script nonce.
        return re.sub(r'(value|nonce)="[^"]*"', "", html)

    assert page(wrong_password) == page(unknown)
    assert "not correct" in page(unknown)


def test_inactive_account_cannot_log_in(auth):
    user = UserFactory(active=False)
    response = auth.login(user)
    assert response.status_code == 422


def test_logout_ends_the_session(auth):
    auth.login(UserFactory())
    assert auth.client.get("/today").status_code == 200
    response = auth.client.post("/logout", data={"csrf_token": auth.csrf_token()})
    assert response.status_code == 303
    assert auth.client.get("/today").status_code == 302


def test_pages_need_a_login(client):
    response = client.get("/today")
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_passwords_are_hashed_with_argon2id_and_the_configured_parameters(app):
    stored = hash_password("a long enough password")
    assert stored.startswith("$argon2id$")
    assert f"m={app.config['ARGON2_MEMORY_COST']},t={app.config['ARGON2_TIME_COST']}" in stored


def test_production_hashing_parameters_are_explicit_and_current():
    # RFC 9106, second recommended option; OWASP's floor is m=19 MiB, t=2.
    assert Config.ARGON2_MEMORY_COST >= 65536
    assert Config.ARGON2_TIME_COST >= 3
    assert Config.ARGON2_PARALLELISM >= 1


def test_login_and_failed_login_are_audited_without_the_address_typed(auth):
    user = UserFactory()
    auth.client.post(
        "/login",
        data={
            "email": "typo@school.example",
            "password": "x" * 12,
            "csrf_token": auth.csrf_token(),
        },
    )
    auth.login(user)
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["login_failed", "login"]
    assert events[1].user_id == user.id
    assert all("typo" not in (e.record_id or "") for e in events)


def test_there_are_no_built_in_accounts(app):
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_cli_creates_a_user_with_a_role(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Sw@District.example",
            "--name",
            "Жанар",
            "--role",
            "social_worker",
            "--password",
            PASSWORD,
        ],
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "sw@district.example"))
    assert user.role is Role.SOCIAL_WORKER
    assert user.password_hash != PASSWORD


def test_cli_refuses_a_short_password(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "a@b.example",
            "--name",
            "A",
            "--role",
            "teacher",
            "--password",
            "short",
        ],
    )
    assert result.exit_code != 0
    assert "12" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
