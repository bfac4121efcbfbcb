"""Two-factor authentication with TOTP (issue 5, point 6): enrolment with a QR code drawn on the
server, a code at every login, recovery codes, required for some roles, reset by an admin."""

import re
import time

import pyotp
import pytest
from sqlalchemy import func, select

from app import create_app
from app.auth.models import AccessChange, RecoveryCode, Role, User
from app.core.audit import AuditEvent
from app.extensions import db
from tests.factories import PASSWORD, UserFactory

WRONG_CODE = "This code is not correct."


def post(auth, url, data=None, **kwargs):
    return auth.client.post(url, data={**(data or {}), "csrf_token": auth.csrf_token()}, **kwargs)


def code_of(user, steps_ahead: int = 0) -> str:
    """What the person's authenticator app shows now, or `steps_ahead` 30-second steps on."""
    return pyotp.TOTP(user.totp_secret).at(time.time() + 30 * steps_ahead)


def password_step(auth, user, url="/login"):
    data = {"email": user.email, "password": PASSWORD}
    return post(auth, url, data)


def logged_in(auth) -> bool:
    return auth.client.get("/account/security").status_code == 200


def log_out(auth):
    post(auth, "/logout")


def enrol(auth, user) -> list[str]:
    """Through the pages, as a person would; the recovery codes shown at the end."""
    auth.client.get("/account/two-factor")
    db.session.refresh(user)
    page = post(auth, "/account/two-factor", {"code": code_of(user)})
    assert page.status_code == 200, page.get_data(True)
    return re.findall(r"<code>([A-Z0-9-]+)</code>", page.get_data(True))


def events(action: str) -> list[AuditEvent]:
    statement = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(db.session.scalars(statement))


@pytest.fixture
def social_worker():
    return UserFactory(role=Role.SOCIAL_WORKER)  # two-factor on, as after enrolling


# -- enrolment


def test_the_enrolment_page_shows_a_qr_code_drawn_here_and_the_key_in_groups(auth, teacher):
    auth.login(teacher)
    page = auth.client.get("/account/two-factor")
    html = page.get_data(True)
    db.session.refresh(teacher)
    assert page.status_code == 200
    assert re.search(r'<img class="qr-code" src="data:image/svg\+xml[^"]*%3Csvg', html)
    grouped = " ".join(re.findall(".{4}", teacher.totp_secret))
    assert f'<code class="totp-secret" dir="ltr" translate="no">{grouped}</code>' in html
    assert page.headers["Cache-Control"] == "no-store"
    assert "Aegis" in html  # says which app to install
    again = auth.client.get("/account/two-factor").get_data(True)
    assert grouped in again  # the same key until it is confirmed
    assert not teacher.has_two_factor


def test_a_wrong_confirmation_code_is_refused_and_leaves_it_off(auth, teacher):
    auth.login(teacher)
    auth.client.get("/account/two-factor")
    db.session.refresh(teacher)
    wrong = str((int(code_of(teacher)) + 1) % 1_000_000).zfill(6)
    page = post(auth, "/account/two-factor", {"code": wrong})
    assert page.status_code == 422
    assert "This code does not match" in page.get_data(True)
    db.session.refresh(teacher)
    assert not teacher.has_two_factor
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0


def test_the_right_code_turns_it_on_and_shows_ten_recovery_codes_once(auth, teacher):
    auth.login(teacher)
    codes = enrol(auth, teacher)
    assert len(codes) == len(set(codes)) == 10
    assert all(re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code) for code in codes)
    db.session.refresh(teacher)
    assert teacher.has_two_factor
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(stored) & {c.replace("-", "") for c in codes}
    assert auth.client.get("/account/two-factor").location == "/account/security"
    assert [e.record_id for e in events("two_factor_on")] == [str(teacher.id)]


# -- logging in


def test_login_asks_for_the_code_after_the_password(auth, social_worker):
    response = password_step(auth, social_worker)
    assert response.status_code == 303
    assert response.location == "/login/code"
    assert not logged_in(auth)
    assert "authenticator app" in auth.client.get("/login/code").get_data(True)
    done = post(auth, "/login/code", {"code": code_of(social_worker)})
    assert done.status_code == 303
    assert done.location == "/"
    assert logged_in(auth)
    assert [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))][
        -1
    ] == "login"


def test_the_page_asked_for_is_reached_after_the_code(auth, social_worker):
    password_step(auth, social_worker, "/login?next=/account/security")
    done = post(auth, "/login/code", {"code": code_of(social_worker)})
    assert done.location == "/account/security"


def test_the_code_page_without_the_password_step_sends_to_the_login(auth, social_worker):
    response = auth.client.get("/login/code")
    assert response.status_code == 302
    assert response.location == "/login"
    refused = post(auth, "/login/code", {"code": code_of(social_worker)})
    assert refused.location == "/login"
    assert not logged_in(auth)


def test_the_password_step_lasts_five_minutes(auth, social_worker, monkeypatch):
    password_step(auth, social_worker)
    later = time.time() + 301
    monkeypatch.setattr("app.auth.login.time", type("Clock", (), {"time": lambda: later}))
    response = post(auth, "/login/code", {"code": code_of(social_worker)})
    assert response.location == "/login"
    assert not logged_in(auth)


def test_a_wrong_code_is_refused_audited_and_counted(auth, social_worker):
    password_step(auth, social_worker)
    for _ in range(5):
        refused = post(auth, "/login/code", {"code": "000000"})
        assert refused.status_code == 422
        assert WRONG_CODE in refused.get_data(True)
    assert len(events("two_factor_failed")) == 5
    locked = post(auth, "/login/code", {"code": code_of(social_worker)})
    assert locked.status_code == 429
    assert "Too many attempts" in locked.get_data(True)
    assert not logged_in(auth)
    assert [e.record_id for e in events("two_factor_locked")] == [str(social_worker.id)]


def test_a_code_works_only_once(auth, social_worker):
    code = code_of(social_worker)
    password_step(auth, social_worker)
    assert post(auth, "/login/code", {"code": code}).status_code == 303
    log_out(auth)
    password_step(auth, social_worker)
    replayed = post(auth, "/login/code", {"code": code})
    assert replayed.status_code == 422
    assert WRONG_CODE in replayed.get_data(True)
    assert not logged_in(auth)


def test_an_older_code_is_refused_once_a_newer_one_was_used(auth, social_worker):
    password_step(auth, social_worker)
    assert post(auth, "/login/code", {"code": code_of(social_worker, +1)}).status_code == 303
    log_out(auth)
    password_step(auth, social_worker)
    assert post(auth, "/login/code", {"code": code_of(social_worker)}).status_code == 422


def test_a_code_a_step_late_still_works_for_a_phone_slightly_behind(auth, social_worker):
    password_step(auth, social_worker)
    assert post(auth, "/login/code", {"code": code_of(social_worker, -1)}).status_code == 303


def test_a_recovery_code_logs_in_once(auth, teacher):
    auth.login(teacher)
    codes = enrol(auth, teacher)
    log_out(auth)
    password_step(auth, teacher)
    typed = codes[3].lower().replace("-", " ")  # as a person may type it
    done = post(auth, "/login/code", {"code": typed}, follow_redirects=True)
    assert "9 are left" in done.get_data(True)
    assert logged_in(auth)
    log_out(auth)
    password_step(auth, teacher)
    again = post(auth, "/login/code", {"code": codes[3]})
    assert again.status_code == 422
    assert '<details class="two-factor-recovery" open>' in again.get_data(True)
    assert not logged_in(auth)
    assert len(events("recovery_code_used")) == 1


# -- roles that require it


def test_a_required_role_without_two_factor_is_kept_on_the_enrolment_page(auth):
    worker = UserFactory(role=Role.SOCIAL_WORKER, two_factor=False)
    response = password_step(auth, worker)
    assert response.status_code == 303  # no code to ask for yet
    for path in ("/", "/today", "/account/security", "/admin/", "/children/" + str(worker.id)):
        page = auth.client.get(path, follow_redirects=True)
        assert page.request.path == "/account/two-factor", path
    assert "Your role requires" in auth.client.get("/account/two-factor").get_data(True)
    api = auth.client.get("/api/offline-pages")
    assert api.status_code == 403 and api.json["error"] == "two_factor_required"
    htmx = auth.client.get("/today", headers={"HX-Request": "true"})
    assert htmx.headers["HX-Redirect"] == "/account/two-factor"
    with auth.client.get("/static/css/app.css") as static:
        assert static.status_code == 200
    assert post(auth, "/language", {"lang": "ru", "next": "/"}).status_code == 303
    enrol(auth, worker)
    assert auth.client.get("/caseload").status_code == 200


def test_a_required_role_cannot_turn_it_off(auth, social_worker):
    auth.login(social_worker)
    page = auth.client.get("/account/security").get_data(True)
    assert "Turn off" not in page
    assert "Your role requires it" in page
    refused = post(auth, "/account/two-factor/off", {"off-code": code_of(social_worker, +1)})
    assert refused.status_code == 403
    db.session.refresh(social_worker)
    assert social_worker.has_two_factor


def test_the_required_roles_are_configurable(app, auth, teacher, monkeypatch):
    monkeypatch.setitem(app.config, "QADAM_2FA_REQUIRED_ROLES", ("teacher",))
    auth.login(teacher)
    assert auth.client.get("/today").location == "/account/two-factor"


def test_an_unknown_required_role_stops_the_start(app):
    with pytest.raises(RuntimeError, match="nurse"):
        create_app("testing", {"QADAM_2FA_REQUIRED_ROLES": ("nurse",)})


# -- a teacher's choice


def test_a_teacher_may_turn_it_on_and_off_with_a_current_code(auth, teacher):
    auth.login(teacher)
    assert "Off." in auth.client.get("/account/security").get_data(True)
    enrol(auth, teacher)
    page = auth.client.get("/account/security").get_data(True)
    assert "On since" in page and "10 recovery codes left." in page
    wrong = post(auth, "/account/two-factor/off", {"off-code": "123456"})
    assert wrong.status_code == 422
    assert WRONG_CODE in wrong.get_data(True)
    db.session.refresh(teacher)
    assert teacher.has_two_factor
    off = post(auth, "/account/two-factor/off", {"off-code": code_of(teacher, +1)})
    assert off.status_code == 303
    db.session.refresh(teacher)
    assert not teacher.has_two_factor and teacher.totp_secret is None
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    log_out(auth)
    assert password_step(auth, teacher).location == "/"  # no code asked any more
    changes = db.session.scalars(select(AccessChange.change).order_by(AccessChange.id)).all()
    assert changes == ["two_factor_on", "two_factor_off"]


def test_new_recovery_codes_need_a_code_and_end_the_old_ones(auth, teacher):
    auth.login(teacher)
    old = enrol(auth, teacher)
    refused = post(auth, "/account/two-factor/recovery-codes", {"new-code": "000000"})
    assert refused.status_code == 422
    page = post(auth, "/account/two-factor/recovery-codes", {"new-code": code_of(teacher, +1)})
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    new = re.findall(r"<code>([A-Z0-9-]+)</code>", page.get_data(True))
    assert len(new) == 10 and not set(new) & set(old)
    log_out(auth)
    password_step(auth, teacher)
    assert post(auth, "/login/code", {"code": old[0]}).status_code == 422
    assert post(auth, "/login/code", {"code": new[0]}).status_code == 303


def test_the_security_page_is_linked_from_every_signed_in_page(auth, teacher):
    auth.login(teacher)
    assert 'href="/account/security"' in auth.client.get("/today").get_data(True)


# -- an administrator's reset (lost phone)


def test_an_administrator_resets_a_lost_phone_and_it_is_recorded(auth, social_worker):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    auth.login(admin)
    page = auth.client.get(f"/admin/users/{social_worker.id}").get_data(True)
    assert "Reset two-factor authentication" in page
    response = post(auth, f"/admin/users/{social_worker.id}/two-factor/reset")
    assert response.status_code == 303
    db.session.refresh(social_worker)
    assert social_worker.totp_secret is None and not social_worker.has_two_factor
    change = db.session.scalar(select(AccessChange).where(AccessChange.user_id == social_worker.id))
    assert (change.change, change.actor_id, change.detail) == ("two_factor_reset", admin.id, None)
    assert [e.record_id for e in events("two_factor_reset")] == [str(social_worker.id)]
    history = auth.client.get(f"/admin/users/{social_worker.id}").get_data(True)
    assert "Two-factor authentication reset" in history
    log_out(auth)
    assert password_step(auth, social_worker).location == "/"  # no code: enrols again
    assert auth.client.get("/today").location == "/account/two-factor"


def test_resetting_an_account_without_two_factor_is_refused(auth):
    auth.login(UserFactory(role=Role.ADMINISTRATOR))
    teacher = UserFactory()
    response = post(auth, f"/admin/users/{teacher.id}/two-factor/reset")
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(AccessChange)) == 0


def test_only_an_administrator_may_reset(auth, social_worker):
    teacher = UserFactory()
    auth.login(teacher)
    assert post(auth, f"/admin/users/{social_worker.id}/two-factor/reset").status_code == 404
    db.session.refresh(social_worker)
    assert social_worker.has_two_factor


def test_two_factor_events_hold_ids_only(auth, teacher):
    teacher = db.session.get(User, teacher.id)
    auth.login(teacher)
    enrol(auth, teacher)
    for event in db.session.scalars(select(AuditEvent)):
        assert event.record_id in (None, str(teacher.id))
