"""'Who viewed or changed this child', for committee members: names looked up, never stored."""

from datetime import UTC, datetime

import pytest
from flask import current_app, render_template
from flask_login import login_user

from app.auth.history import record_history
from app.auth.models import Role
from app.core import audit as audit_module
from app.core.audit import audit
from app.extensions import db
from tests.conftest import count_queries
from tests.factories import ChildFactory, UserFactory

MORNING = datetime(2026, 11, 18, 3, 5, tzinfo=UTC)  # 08:05 in Almaty


@pytest.fixture
def child(school_class):
    return ChildFactory(school_class=school_class)


@pytest.fixture
def member():
    return UserFactory(role=Role.COMMITTEE_MEMBER, display_name="Гүлнар Комитет")


def record(user, action: str, child, at: datetime = MORNING) -> None:
    """An audit event made by `user` at `at`, as a request of theirs would make it."""
    with current_app.test_request_context(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(audit_module, "utcnow", lambda: at)
        login_user(user)
        audit(action, "child", child.id)
        db.session.commit()


def render_history(app, viewer, child) -> str:
    with app.test_request_context(headers={"Accept-Language": "en"}):
        login_user(viewer)
        return render_template(
            "core/_record_history.html", history=record_history("child", child.id)
        )


def test_the_history_lists_who_did_what_newest_first_with_name_and_role(teacher, child):
    record(teacher, "view", child)
    record(teacher, "attendance_write", child, at=MORNING.replace(minute=9))
    history = record_history("child", child.id)
    assert [(e.words, e.actor_name, e.actor_role) for e in history] == [
        ("changed attendance", teacher.display_name, "Teacher"),
        ("viewed", teacher.display_name, "Teacher"),
    ]


def test_the_history_of_one_child_holds_only_that_childs_entries(teacher, child, school_class):
    other = ChildFactory(school_class=school_class)
    record(teacher, "view", other)
    assert record_history("child", child.id) == []


def test_the_history_is_read_in_one_query_however_long(teacher, child):
    for _ in range(5):
        record(UserFactory(), "view", child)
    child_id = child.id
    with count_queries() as queries:
        assert len(record_history("child", child_id, limit=3)) == 3
    assert len(queries) == 1


def test_a_committee_member_sees_the_history_in_plain_words_and_local_time(
    app, member, teacher, child
):
    record(teacher, "offline_copy", child)
    html = render_history(app, member, child)
    assert "Who viewed or changed this record" in html
    assert teacher.display_name in html and "Teacher" in html
    assert "saved a copy on their phone for offline use" in html
    assert "8:05" in html  # 03:05 UTC is 08:05 in the district's time zone
    assert "offline_copy" not in html


def test_a_name_changed_later_shows_as_it_is_now(app, member, teacher, child):
    record(teacher, "view", child)
    teacher.display_name = "Айгерім Жаңа"
    db.session.commit()
    assert "Айгерім Жаңа" in render_history(app, member, child)


def test_a_record_nobody_opened_says_so(app, member, child):
    assert "Nobody has viewed or changed this record yet." in render_history(app, member, child)


def test_a_teacher_opening_the_child_page_sees_no_history(client, auth, teacher, child):
    auth.log_in_as(teacher)
    client.get(f"/children/{child.id}")
    html = client.get(f"/children/{child.id}").get_data(as_text=True)
    assert "Who viewed or changed this child" not in html


def test_the_child_page_includes_the_history_for_a_committee_member(app, member, teacher, child):
    """The page's template with a committee member logged in (the lead wires the route)."""
    record(teacher, "view", child)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        login_user(member)
        html = render_template(
            "children/child.html",
            child=child,
            attendance=_no_attendance(),
            statuses=[],
            home_languages=[],
            history=record_history("child", child.id),
        )
    assert "Who viewed or changed this child" in html
    assert teacher.display_name in html


def _no_attendance():
    class NoAttendance:
        starts_on = ends_on = MORNING.date()
        rate = None

    return NoAttendance()
