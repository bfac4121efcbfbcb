"""Account administration: users, roles, assignments, one-time codes (issue 4, point 3)."""

import hashlib
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.admin import accounts
from app.auth import resets
from app.auth.models import AccessChange, PasswordReset, Role, User
from app.children.models import caseload, class_teacher
from app.config import Config
from app.core.audit import AuditEvent
from app.core.errors import InvalidInput
from app.core.models import utcnow
from app.extensions import db
from tests.conftest import Auth, count_queries
from tests.factories import (
    PASSWORD,
    ChildFactory,
    SchoolClassFactory,
    SchoolFactory,
    UserFactory,
)

NEW_PASSWORD = "a brand new passphrase"
REFUSED = "This code cannot be used."


@pytest.fixture
def admin(auth):
    admin = UserFactory(role=Role.ADMINISTRATOR, display_name="Админ Бас")
    auth.log_in_as(admin)
    return admin


def post(auth, url, data=None, **kwargs):
    return auth.client.post(url, data={**(data or {}), "csrf_token": auth.csrf_token()}, **kwargs)


def shown_code(response) -> str:
    match = re.search(r'class="secret account-code"[^>]*>([A-Z0-9-]+)<', response.get_data(True))
    return match.group(1)


def changes(user, change=None) -> list[AccessChange]:
    statement = select(AccessChange).where(AccessChange.user_id == user.id)
    if change:
        statement = statement.where(AccessChange.change == change)
    return list(db.session.scalars(statement.order_by(AccessChange.id)))


def new_user(auth, **fields):
    data = {
        "email": "new.teacher@school.example",
        "display_name": "Жаңа Мұғалім",
        "role": "teacher",
        "preferred_language": "ru",
        **fields,
    }
    return post(auth, "/admin/users/new", data)


def profile(auth, user, role="teacher", name="Renamed", language="kk", **extra):
    data = {
        "profile-display_name": name,
        "profile-role": role,
        "profile-preferred_language": language,
        **extra,
    }
    return post(auth, f"/admin/users/{user.id}/profile", data)


def redeem(auth, email, code, password=NEW_PASSWORD, confirm=None):
    data = {"email": email, "code": code, "password": password, "confirm": confirm or password}
    return post(auth, "/password/reset", data)


# -- the list


def test_users_list_filters_by_role_and_shows_deactivated_accounts_on_request(auth, admin):
    UserFactory(display_name="Teacher One")
    UserFactory(display_name="Social One", role=Role.SOCIAL_WORKER)
    UserFactory(display_name="Gone Teacher", active=False)
    page = auth.client.get("/admin/users").get_data(True)
    assert "Teacher One" in page and "Social One" in page and "Gone Teacher" not in page
    page = auth.client.get("/admin/users?role=social_worker").get_data(True)
    assert "Social One" in page and "Teacher One" not in page
    page = auth.client.get("/admin/users?status=inactive").get_data(True)
    assert "Gone Teacher" in page and "Teacher One" not in page and "Deactivated" in page
    page = auth.client.get("/admin/users?status=all&role=teacher").get_data(True)
    assert "Gone Teacher" in page and "Teacher One" in page and "2 accounts" in page


def test_unknown_filter_values_are_ignored(auth, admin):
    response = auth.client.get("/admin/users?role=root&status=everything")
    assert response.status_code == 200
    assert admin.display_name in response.get_data(True)


def test_users_list_runs_the_same_queries_for_few_and_many_users(auth, admin):
    UserFactory.create_batch(2)
    with count_queries() as few:
        auth.client.get("/admin/users")
    UserFactory.create_batch(10)
    with count_queries() as many:
        auth.client.get("/admin/users")
    assert len(few) == len(many)


# -- creating an account and its set-up code


def test_creating_a_user_shows_a_code_once_and_stores_only_its_hash(auth, admin):
    response = new_user(auth, email="New.Teacher@School.example")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    code = shown_code(response)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert not set(code) & set("01OIL")

    user = db.session.scalar(select(User).where(User.email == "new.teacher@school.example"))
    assert (user.role, user.preferred_language, user.active) == (Role.TEACHER, "ru", True)
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.user_id == user.id))
    bare = code.replace("-", "")
    assert reset.code_hash == hashlib.sha256(bare.encode()).hexdigest()
    assert reset.created_by_id == admin.id and reset.used_at is None
    assert bare not in user.password_hash and code not in user.password_hash

    user_page = auth.client.get(f"/admin/users/{user.id}").get_data(True)
    assert code not in user_page and bare not in user_page
    assert "Account created as Teacher" in user_page and "One-time code given" in user_page
    assert [c.change for c in changes(user)] == ["created", "reset_issued"]
    assert changes(user)[0].detail == "teacher" and changes(user)[0].actor_id == admin.id


def test_a_new_account_cannot_log_in_until_its_password_is_chosen(auth, admin):
    new_user(auth)
    auth.client.post("/logout", data={"csrf_token": auth.csrf_token()})
    user = db.session.scalar(select(User).where(User.email == "new.teacher@school.example"))
    assert auth.login(user, password="").status_code == 422
    assert auth.login(user, password=PASSWORD).status_code == 422


def test_redeeming_the_code_sets_the_password_and_lets_the_user_log_in(auth, admin):
    code = shown_code(new_user(auth))
    auth.client.post("/logout", data={"csrf_token": auth.csrf_token()})
    response = redeem(auth, " New.Teacher@school.example ", code.lower().replace("-", " "))
    assert response.status_code == 303
    assert response.location == "/login"
    assert code not in response.location
    user = db.session.scalar(select(User).where(User.email == "new.teacher@school.example"))
    assert auth.login(user, password=NEW_PASSWORD).status_code == 303
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.user_id == user.id))
    assert reset.used_at is not None
    last = changes(user)[-1]
    assert (last.change, last.actor_id) == ("password_reset", user.id)


def test_the_reset_page_is_public_and_linked_from_the_login_page(client):
    login = client.get("/login").get_data(True)
    assert 'href="/password/reset"' in login
    assert "Have a code from your administrator?" in login
    page = client.get("/password/reset")
    assert page.status_code == 200
    assert 'method="post"' in page.get_data(True)


def _issue(admin, user, **reset_changes) -> str:
    code = resets.issue_code(admin, user)
    db.session.commit()
    if reset_changes:
        reset = db.session.scalar(
            select(PasswordReset).where(PasswordReset.code_hash == resets.code_hash(code))
        )
        for name, value in reset_changes.items():
            setattr(reset, name, value)
        db.session.commit()
    return code


def _refusal(response) -> str:
    assert response.status_code == 422
    html = response.get_data(True)
    # Drop the CSRF token, what was typed and the per-response script nonce.
    return re.sub(r'(value|nonce)="[^"]*"', "", html)


def test_expired_used_and_wrong_codes_and_unknown_addresses_get_one_and_the_same_answer(auth):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    user = UserFactory(email="known@school.example")
    past = utcnow() - timedelta(minutes=1)
    expired = _issue(admin, user, expires_at=past)
    other = UserFactory(email="other@school.example")
    used = _issue(admin, other, used_at=past)
    valid = _issue(admin, UserFactory(email="third@school.example"))
    answers = [
        redeem(auth, "known@school.example", expired),
        redeem(auth, "other@school.example", used),
        redeem(auth, "known@school.example", "ABCD-EFGH-JKMN"),
        redeem(auth, "nobody@school.example", valid),
        redeem(auth, "known@school.example", valid),  # someone else's code
    ]
    pages = [_refusal(answer) for answer in answers]
    assert all(page == pages[0] for page in pages)
    assert REFUSED in pages[0]
    resets_made = select(AccessChange).where(AccessChange.change == "password_reset")
    assert db.session.scalars(resets_made).all() == []


def test_a_code_works_only_once(auth):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    user = UserFactory()
    code = _issue(admin, user)
    assert redeem(auth, user.email, code).status_code == 303
    again = redeem(auth, user.email, code, password="yet another passphrase")
    assert REFUSED in _refusal(again)
    assert auth.login(user, password=NEW_PASSWORD).status_code == 303


def test_a_newer_code_invalidates_an_older_unused_one(auth):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    user = UserFactory()
    older = _issue(admin, user)
    newer = _issue(admin, user)
    assert REFUSED in _refusal(redeem(auth, user.email, older))
    assert redeem(auth, user.email, newer).status_code == 303


def test_codes_expire_after_the_configured_hours(app, monkeypatch):
    monkeypatch.setitem(app.config, "QADAM_RESET_HOURS", 3)
    admin = UserFactory(role=Role.ADMINISTRATOR)
    code = _issue(admin, UserFactory())
    reset = db.session.scalar(select(PasswordReset))
    assert reset.code_hash == resets.code_hash(code)
    assert reset.expires_at - reset.created_at == timedelta(hours=3)


def test_codes_last_a_day_unless_configured_otherwise():
    assert Config.QADAM_RESET_HOURS == 24


def test_a_short_or_mismatched_password_is_refused_and_the_code_still_works(auth):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    user = UserFactory()
    code = _issue(admin, user)
    short = redeem(auth, user.email, code, password="too short")
    assert short.status_code == 422
    assert "at least 12 characters" in short.get_data(True)
    mismatch = redeem(auth, user.email, code, confirm="not the same passphrase")
    assert "not the same" in mismatch.get_data(True)
    assert redeem(auth, user.email, code).status_code == 303


def test_a_deactivated_account_cannot_redeem_a_code(auth):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    user = UserFactory()
    code = _issue(admin, user)
    user.active = False
    db.session.commit()
    assert REFUSED in _refusal(redeem(auth, user.email, code))


def test_an_admin_issues_a_reset_code_from_the_users_page(auth, admin):
    user = UserFactory()
    page = auth.client.get(f"/admin/users/{user.id}").get_data(True)
    assert f"/admin/users/{user.id}/code" in page
    response = post(auth, f"/admin/users/{user.id}/code")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    code = shown_code(response)
    assert "24 hours" in response.get_data(True)
    auth.client.post("/logout", data={"csrf_token": auth.csrf_token()})
    assert redeem(auth, user.email, code).status_code == 303
    assert auth.login(user, password=NEW_PASSWORD).status_code == 303
    assert [c.change for c in changes(user)] == ["reset_issued", "password_reset"]


# -- profile and role


def test_a_role_change_is_recorded_with_who_made_it_and_when(auth, admin):
    user = UserFactory()
    response = profile(auth, user, role="social_worker", language="ar")
    assert response.status_code == 303
    db.session.refresh(user)
    assert (user.display_name, user.role, user.preferred_language) == (
        "Renamed",
        Role.SOCIAL_WORKER,
        "ar",
    )
    [change] = changes(user, "role")
    assert (change.actor_id, change.detail) == (admin.id, "teacher->social_worker")
    assert abs(change.at - utcnow()) < timedelta(minutes=1)
    assert "Renamed" not in (change.detail or "")
    page = auth.client.get(response.location).get_data(True)
    assert "Role changed from Teacher to Social worker" in page
    assert admin.display_name in page
    assert "<time datetime=" in page


def test_a_name_or_language_change_alone_records_no_access_change(auth, admin):
    user = UserFactory()
    profile(auth, user, name="Other")
    assert changes(user) == []


def test_a_new_role_starts_without_the_assignments_of_the_old_one(auth, admin):
    school_class = SchoolClassFactory()
    teacher = UserFactory()
    school_class.teachers.append(teacher)
    db.session.commit()
    profile(auth, teacher, role="committee_member")
    assert accounts.assigned_class_ids(teacher) == set()
    assert [c.change for c in changes(teacher)] == ["class_removed", "role"]


# -- teachers and classes


def test_teachers_are_assigned_to_current_classes_grouped_by_school(auth, admin):
    north, south = SchoolFactory(name="North school"), SchoolFactory(name="South school")
    five = SchoolClassFactory(school=north, grade=5, letter="А")
    six = SchoolClassFactory(school=south, grade=6, letter="Б")
    old = SchoolClassFactory(school=north, grade=7, letter="В", archived_at=utcnow())
    teacher = UserFactory()
    page = auth.client.get(f"/admin/users/{teacher.id}").get_data(True)
    assert "North school" in page and "South school" in page
    assert str(five.id) in page and str(six.id) in page and str(old.id) not in page

    url = f"/admin/users/{teacher.id}/classes"
    response = post(auth, url, {"classes-class_ids": [str(five.id), str(six.id)]})
    assert response.status_code == 303
    assert accounts.assigned_class_ids(teacher) == {five.id, six.id}
    post(auth, url, {"classes-class_ids": [str(six.id)]})
    assert accounts.assigned_class_ids(teacher) == {six.id}
    recorded = [(c.change, c.detail, c.actor_id) for c in changes(teacher)]
    assert sorted(recorded[:2]) == sorted(
        [("class_added", str(five.id), admin.id), ("class_added", str(six.id), admin.id)]
    )
    assert recorded[2] == ("class_removed", str(five.id), admin.id)
    page = auth.client.get(f"/admin/users/{teacher.id}").get_data(True)
    assert "Removed from class <bdi>5 А</bdi>, <bdi>North school</bdi>" in page


def test_an_archived_class_cannot_be_assigned(auth, admin):
    old = SchoolClassFactory(archived_at=utcnow())
    teacher = UserFactory()
    response = post(auth, f"/admin/users/{teacher.id}/classes", {"classes-class_ids": str(old.id)})
    assert response.status_code == 422
    assert accounts.assigned_class_ids(teacher) == set()


def test_assigning_a_teacher_leaves_archived_classes_alone(admin):
    old = SchoolClassFactory(archived_at=utcnow())
    current = SchoolClassFactory()
    teacher = UserFactory()
    old.teachers.append(teacher)
    db.session.commit()
    accounts.set_classes(admin, teacher, {current.id})
    assert accounts.assigned_class_ids(teacher) == {old.id, current.id}


def test_only_teachers_are_assigned_to_classes(admin):
    with pytest.raises(InvalidInput):
        accounts.set_classes(admin, UserFactory(role=Role.SOCIAL_WORKER), set())


# -- social workers and their caseload


def test_a_social_workers_caseload_is_built_by_searching_without_javascript(auth, admin):
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    nurlan = ChildFactory(given_name="Нұрлан", family_name="Сапаров")
    ChildFactory(given_name="Айгерім", family_name="Омарова")
    found = post(auth, f"/admin/users/{worker.id}/caseload", {"q": "Nurlan Saparov"})
    html = found.get_data(True)
    assert found.status_code == 200 and "<html" in html
    assert "Сапаров Нұрлан" in html and "Омарова" not in html
    add_url = f"/admin/users/{worker.id}/caseload/{nurlan.id}/add"
    assert add_url in html

    response = post(auth, add_url)
    assert response.status_code == 303
    assert response.location == f"/admin/users/{worker.id}/caseload"  # no name in the URL
    assert [c.id for c in accounts.caseload_of(worker)] == [nurlan.id]
    html = auth.client.get(response.location).get_data(True)
    assert f"/admin/users/{worker.id}/caseload/{nurlan.id}/remove" in html  # listed in it
    assert add_url not in html

    response = post(auth, f"/admin/users/{worker.id}/caseload/{nurlan.id}/remove")
    assert response.status_code == 303
    assert accounts.caseload_of(worker) == []
    recorded = [(c.change, c.detail, c.actor_id) for c in changes(worker)]
    assert recorded == [
        ("child_added", str(nurlan.id), admin.id),
        ("child_removed", str(nurlan.id), admin.id),
    ]
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.record_type == "child").order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.record_id, e.user_id) for e in events] == [
        ("search", None, admin.id),  # what was typed is not kept
        ("caseload_add", str(nurlan.id), admin.id),
        ("caseload_remove", str(nurlan.id), admin.id),
    ]


def test_the_caseload_search_answers_htmx_with_the_results_alone(auth, admin):
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    ChildFactory(given_name="Нұрлан", family_name="Сапаров")
    response = auth.client.post(
        f"/admin/users/{worker.id}/caseload",
        data={"q": "Нурлан", "csrf_token": auth.csrf_token()},
        headers={"HX-Request": "true"},
    )
    html = response.get_data(True)
    assert "<html" not in html and "Сапаров Нұрлан" in html
    assert "HX-Request" in response.headers["Vary"]
    page = auth.client.get(f"/admin/users/{worker.id}").get_data(True)
    assert 'hx-target="#caseload-results"' in page


def test_a_child_is_added_to_a_caseload_once(admin):
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    child = ChildFactory()
    accounts.add_to_caseload(admin, worker, child.id)
    with pytest.raises(InvalidInput):
        accounts.add_to_caseload(admin, worker, child.id)
    with pytest.raises(InvalidInput):
        accounts.add_to_caseload(admin, UserFactory(), child.id)


def test_the_user_page_of_a_social_worker_is_free_of_n_plus_one_queries(auth, admin):
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    for child in ChildFactory.create_batch(2):
        accounts.add_to_caseload(admin, worker, child.id)
    db.session.commit()
    with count_queries() as few:
        auth.client.get(f"/admin/users/{worker.id}")
    for child in ChildFactory.create_batch(6):
        accounts.add_to_caseload(admin, worker, child.id)
    db.session.commit()
    with count_queries() as many:
        auth.client.get(f"/admin/users/{worker.id}")
    assert len(few) == len(many)


# -- committee members and their district


def test_a_committee_member_is_assigned_a_district_of_the_schools(auth, admin):
    SchoolFactory(district="Есіл ауданы")
    SchoolFactory(district="Байқоңыр ауданы", archived_at=utcnow())
    member = UserFactory(role=Role.COMMITTEE_MEMBER)
    page = auth.client.get(f"/admin/users/{member.id}").get_data(True)
    assert "Есіл ауданы" in page and "Байқоңыр ауданы" not in page
    url = f"/admin/users/{member.id}/district"
    assert post(auth, url, {"district-district": "Есіл ауданы"}).status_code == 303
    assert post(auth, url, {"district-district": "Somewhere else"}).status_code == 422
    db.session.refresh(member)
    assert member.district == "Есіл ауданы"
    assert post(auth, url, {"district-district": ""}).status_code == 303
    db.session.refresh(member)
    assert member.district is None
    assert [(c.change, c.detail) for c in changes(member)] == [
        ("district", "Есіл ауданы"),
        ("district", None),
    ]


def test_only_committee_members_are_assigned_a_district(admin):
    SchoolFactory(district="Есіл ауданы")
    with pytest.raises(InvalidInput):
        accounts.set_district(admin, UserFactory(), "Есіл ауданы")


# -- deactivation and self-lockout


def test_deactivation_signs_the_user_out_at_their_next_request(app, auth, admin):
    teacher = UserFactory()
    theirs = app.test_client()
    theirs.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    Auth(theirs).login(teacher)
    assert theirs.get("/today").status_code == 200
    response = post(auth, f"/admin/users/{teacher.id}/deactivate")
    assert response.status_code == 303
    after = theirs.get("/today")
    assert after.status_code == 302 and after.location.startswith("/login")
    assert Auth(theirs).login(teacher).status_code == 422
    assert [c.change for c in changes(teacher)] == ["deactivated"]


def test_deactivation_ends_unused_codes_and_reactivation_is_recorded(auth, admin):
    user = UserFactory()
    code = _issue(admin, user)
    post(auth, f"/admin/users/{user.id}/deactivate")
    assert post(auth, f"/admin/users/{user.id}/code").status_code == 422
    assert post(auth, f"/admin/users/{user.id}/reactivate").status_code == 303
    db.session.refresh(user)
    assert user.active
    assert [c.change for c in changes(user)] == ["reset_issued", "deactivated", "reactivated"]
    auth.client.post("/logout", data={"csrf_token": auth.csrf_token()})
    assert REFUSED in _refusal(redeem(auth, user.email, code))


def test_an_administrator_cannot_deactivate_themself(auth, admin):
    page = auth.client.get(f"/admin/users/{admin.id}").get_data(True)
    assert f"/admin/users/{admin.id}/deactivate" not in page
    assert post(auth, f"/admin/users/{admin.id}/deactivate").status_code == 422
    db.session.refresh(admin)
    assert admin.active
    assert auth.client.get("/admin/users").status_code == 200


def test_an_administrator_cannot_remove_their_own_administrator_role(auth, admin):
    response = profile(auth, admin, role="teacher")
    assert response.status_code == 422
    assert "You cannot remove your own administrator role." in response.get_data(True)
    db.session.refresh(admin)
    assert admin.role is Role.ADMINISTRATOR
    assert changes(admin) == []


def test_another_administrator_can_be_demoted(admin):
    other = UserFactory(role=Role.ADMINISTRATOR)
    accounts.update_profile(admin, other, "Other", Role.TEACHER, "kk")
    assert other.role is Role.TEACHER


# -- who may do it, and what a form accepts


def _admin_user_urls(app, user_id, child_id):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin/users"):
            values = {"user_id": user_id, "child_id": child_id}
            url = rule.rule
            for name, value in values.items():
                url = url.replace(f"<uuid:{name}>", str(value))
            yield url, "POST" if "POST" in rule.methods else "GET"


def test_a_teacher_gets_404_on_every_admin_users_url(app, auth):
    teacher = UserFactory()
    child = ChildFactory()
    auth.log_in_as(teacher)
    urls = list(_admin_user_urls(app, teacher.id, child.id))
    assert len(urls) >= 12
    for url, method in urls:
        response = post(auth, url) if method == "POST" else auth.client.get(url)
        assert response.status_code == 404, url
    assert changes(teacher) == []


def test_admin_users_pages_need_a_login(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and response.location.startswith("/login")


@pytest.mark.parametrize(
    "fields",
    [{"role": "root"}, {"preferred_language": "xx"}, {"email": ""}, {"display_name": ""}],
)
def test_the_new_user_form_refuses_values_not_offered(auth, admin, fields):
    assert new_user(auth, **fields).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_the_new_user_form_refuses_fields_an_administrator_may_not_set(auth, admin):
    for field, value in [("active", "false"), ("password_hash", "x"), ("district", "Есіл")]:
        response = new_user(auth, **{field: value})
        assert response.status_code == 400, field
        assert "nothing was saved" in response.get_data(True)
        assert (
            db.session.scalar(select(User).where(User.email == "new.teacher@school.example"))
            is None
        )


def test_a_duplicate_email_is_refused_on_the_form(auth, admin):
    UserFactory(email="new.teacher@school.example")
    response = new_user(auth)
    assert response.status_code == 422
    assert "already exists" in response.get_data(True)


def test_the_profile_form_refuses_a_role_that_does_not_exist(auth, admin):
    user = UserFactory()
    response = profile(auth, user, role="superuser")
    assert response.status_code == 422
    db.session.refresh(user)
    assert user.role is Role.TEACHER


def test_the_profile_form_refuses_a_field_it_does_not_take_and_writes_nothing(auth, admin):
    user = UserFactory()
    response = profile(auth, user, name="Changed", **{"profile-active": "false"})
    assert response.status_code == 400
    db.session.refresh(user)
    assert user.active and user.display_name != "Changed"


def test_an_unknown_user_is_404(auth, admin):
    assert auth.client.get(f"/admin/users/{uuid.uuid4()}").status_code == 404


def test_no_access_change_ever_holds_a_personal_name(auth, admin):
    code = shown_code(new_user(auth, display_name="Secret Name", role="social_worker"))
    user = db.session.scalar(select(User).where(User.email == "new.teacher@school.example"))
    child = ChildFactory(given_name="Childname")
    post(auth, f"/admin/users/{user.id}/caseload/{child.id}/add")
    post(auth, f"/admin/users/{user.id}/deactivate")
    details = " ".join(c.detail or "" for c in changes(user))
    assert "Secret" not in details and "Childname" not in details and code not in details
    assert db.session.scalar(select(func.count()).select_from(caseload)) == 1
    assert db.session.scalar(select(func.count()).select_from(class_teacher)) == 0
