"""A teacher's Today page and roll call."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.attendance.models import AttendanceMark, AttendanceMarkHistory, Status
from app.extensions import db
from tests.conftest import TODAY, count_queries
from tests.factories import (
    AttendanceMarkFactory,
    ChildFactory,
    SchoolClassFactory,
    TermFactory,
    UserFactory,
)


@pytest.fixture
def children(school_class):
    return ChildFactory.create_batch(30, school_class=school_class)


@pytest.fixture
def logged_in(auth, teacher):
    auth.log_in_as(teacher)
    return auth


def roll_call_url(school_class, day=None):
    url = f"/classes/{school_class.id}/roll-call"
    return f"{url}?day={day.isoformat()}" if day else url


def form_for(auth, school_class, day=TODAY, changes=None, reasons=None):
    """What the browser sends after the page loaded: everyone present except `changes`."""
    html = auth.client.get(roll_call_url(school_class, day)).get_data(as_text=True)
    data = {"csrf_token": auth.csrf_token(), "day": day.isoformat()}
    for child_id, version in re.findall(r'name="version-([^"]+)" value="(\d+)"', html):
        checked = re.search(rf'name="status-{child_id}" value="(\w+)"\s+checked', html)
        data[f"status-{child_id}"] = checked.group(1)
        data[f"version-{child_id}"] = version
    for child, status in (changes or {}).items():
        data[f"status-{child.id}"] = status
    for child, reason in (reasons or {}).items():
        data[f"reason-{child.id}"] = reason
    return data


def marks():
    return db.session.scalars(select(AttendanceMark)).all()


def test_today_lists_the_teachers_classes_with_roll_call_not_taken(logged_in, school_class):
    other = SchoolClassFactory()
    html = logged_in.client.get("/today").get_data(as_text=True)
    assert f"Class <bdi>{school_class.name}</bdi>" in html
    assert "Not taken yet" in html
    assert str(other.id) not in html


def test_everyone_starts_present(logged_in, school_class, children):
    html = logged_in.client.get(roll_call_url(school_class)).get_data(as_text=True)
    checked = re.findall(r'name="status-[^"]+" value="(\w+)"\s+checked', html)
    assert checked == ["present"] * 30


def test_three_absences_saved_in_one_request(logged_in, school_class, children):
    absent = children[:3]
    data = form_for(logged_in, school_class, changes={c: "absent" for c in absent})
    response = logged_in.client.post(roll_call_url(school_class), data=data)
    assert response.status_code == 303
    stored = {m.child_id: m.status for m in marks()}
    assert len(stored) == 30
    assert {cid for cid, s in stored.items() if s is Status.ABSENT} == {c.id for c in absent}
    today = logged_in.client.get("/today").get_data(as_text=True)
    assert re.search(r"Taken at \d{1,2}:\d{2}\s*(?:AM|PM)?\s*· 3 absent", today)


def test_an_absence_keeps_its_reason_and_present_drops_one(logged_in, school_class, children):
    ill, here = children[0], children[1]
    data = form_for(
        logged_in, school_class, changes={ill: "absent"}, reasons={ill: " Ill ", here: "x"}
    )
    logged_in.client.post(roll_call_url(school_class), data=data)
    stored = {m.child_id: m for m in marks()}
    assert stored[ill.id].reason == "Ill"
    assert stored[here.id].reason is None


def test_children_are_listed_in_kazakh_alphabetical_order(auth, teacher, school_class):
    for family in ("Бекова", "Әлиева", "Ахметова", "Ілиясова", "Ыбырайова"):
        ChildFactory(family_name=family, given_name="Дана", school_class=school_class)
    auth.log_in_as(teacher)
    auth.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "kk"
    html = auth.client.get(roll_call_url(school_class)).get_data(as_text=True)
    names = re.findall(r"(\w+) Дана", html)
    assert names == ["Ахметова", "Әлиева", "Бекова", "Ыбырайова", "Ілиясова"]


def test_a_correction_keeps_the_earlier_value_in_history(logged_in, school_class, children):
    child = children[0]
    logged_in.client.post(
        roll_call_url(school_class),
        data=form_for(logged_in, school_class, changes={child: "absent"}),
    )
    logged_in.client.post(
        roll_call_url(school_class), data=form_for(logged_in, school_class, changes={child: "late"})
    )
    mark = db.session.scalar(select(AttendanceMark).where(AttendanceMark.child_id == child.id))
    assert (mark.status, mark.version) == (Status.LATE, 2)
    history = db.session.scalars(select(AttendanceMarkHistory)).all()
    assert [(h.status, h.version) for h in history] == [(Status.ABSENT, 1)]


def test_the_last_seven_school_days_can_be_corrected(logged_in, school_class, children):
    # Wednesday 18 Nov: back over the weekend to Tuesday 10 Nov is the seventh school day.
    day = date(2026, 11, 10)
    data = form_for(logged_in, school_class, day=day, changes={children[0]: "excused"})
    response = logged_in.client.post(roll_call_url(school_class), data=data)
    assert response.status_code == 303
    assert {m.day for m in marks()} == {day}


def test_older_days_are_read_only(logged_in, school_class, children):
    day = date(2026, 11, 9)
    page = logged_in.client.get(roll_call_url(school_class, day)).get_data(as_text=True)
    assert 'type="radio"' not in page
    assert "can no longer be changed" in page
    data = {"csrf_token": logged_in.csrf_token(), "day": day.isoformat()}
    data |= {f"status-{c.id}": "present" for c in children}
    response = logged_in.client.post(roll_call_url(school_class), data=data)
    assert response.status_code == 403
    assert "older than 7 school days" in response.get_data(as_text=True)
    assert marks() == []


def test_weekends_and_holidays_between_terms_are_not_school_days(logged_in, school_class, children):
    TermFactory(starts_on=date(2026, 11, 3), ends_on=date(2026, 12, 28))
    saturday = date(2026, 11, 14)
    data = form_for(logged_in, school_class, day=date(2026, 11, 13))
    data["day"] = saturday.isoformat()
    response = logged_in.client.post(roll_call_url(school_class), data=data)
    assert response.status_code == 422
    assert "not a school day" in response.get_data(as_text=True)
    assert marks() == []


def test_a_future_day_is_refused(logged_in, school_class, children):
    data = form_for(logged_in, school_class)
    data["day"] = "2026-11-19"
    response = logged_in.client.post(roll_call_url(school_class), data=data)
    assert response.status_code == 422
    assert "future" in response.get_data(as_text=True)
    assert marks() == []


def test_an_unknown_status_is_refused(logged_in, school_class, children):
    data = form_for(logged_in, school_class, changes={children[4]: "on_holiday"})
    response = logged_in.client.post(roll_call_url(school_class), data=data)
    assert response.status_code == 422
    assert "Unknown attendance status" in response.get_data(as_text=True)
    assert marks() == []


def test_a_child_from_another_class_is_refused(logged_in, school_class, children):
    stranger = ChildFactory()
    data = form_for(logged_in, school_class)
    data[f"status-{stranger.id}"] = "absent"
    data[f"version-{stranger.id}"] = "0"
    response = logged_in.client.post(roll_call_url(school_class), data=data)
    assert response.status_code == 422
    assert "not in this class" in response.get_data(as_text=True)
    assert marks() == []


def test_a_form_missing_a_child_is_refused(logged_in, school_class, children):
    data = form_for(logged_in, school_class)
    del data[f"status-{children[7].id}"]
    response = logged_in.client.post(roll_call_url(school_class), data=data)
    assert response.status_code == 422
    assert marks() == []


def test_a_form_without_its_csrf_token_is_refused(logged_in, school_class, children):
    data = form_for(logged_in, school_class)
    data["csrf_token"] = "tampered"
    response = logged_in.client.post(roll_call_url(school_class), data=data)
    assert response.status_code == 400
    assert "expired or was tampered with" in response.get_data(as_text=True)
    assert marks() == []


def test_a_change_made_meanwhile_is_shown_not_overwritten(logged_in, school_class, children):
    child = children[0]
    data = form_for(logged_in, school_class, changes={child: "absent"})
    colleague = UserFactory()
    AttendanceMarkFactory(child_obj=child, recorded_by=colleague, day=TODAY, status=Status.LATE)
    response = logged_in.client.post(roll_call_url(school_class), data=data)
    assert response.status_code == 409
    assert "Someone else changed this roll call" in response.get_data(as_text=True)
    assert [(m.child_id, m.status) for m in marks()] == [(child.id, Status.LATE)]


def test_another_teachers_class_is_not_found(logged_in, children):
    other = SchoolClassFactory()
    ChildFactory(school_class=other)
    assert logged_in.client.get(roll_call_url(other)).status_code == 404
    response = logged_in.client.post(
        roll_call_url(other), data={"csrf_token": logged_in.csrf_token()}
    )
    assert response.status_code == 404


def test_an_htmx_save_returns_the_roll_call_fragment(logged_in, school_class, children):
    data = form_for(logged_in, school_class, changes={children[0]: "absent"})
    response = logged_in.client.post(
        roll_call_url(school_class), data=data, headers={"HX-Request": "true"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith("<form")
    assert "<html" not in html
    assert "Saved." in html
    assert "HX-Request" in response.headers["Vary"]


def test_a_plain_form_post_works_without_javascript(logged_in, school_class, children):
    data = form_for(logged_in, school_class, changes={children[0]: "absent"})
    response = logged_in.client.post(roll_call_url(school_class), data=data, follow_redirects=True)
    assert response.status_code == 200
    assert "Roll call saved." in response.get_data(as_text=True)


def test_the_roll_call_page_runs_a_fixed_number_of_queries(logged_in, school_class):
    ChildFactory.create_batch(5, school_class=school_class)
    with count_queries() as few:
        logged_in.client.get(roll_call_url(school_class))
    ChildFactory.create_batch(25, school_class=school_class)
    with count_queries() as many:
        logged_in.client.get(roll_call_url(school_class))
    assert len(many) == len(few)


def test_a_saved_roll_call_writes_one_mark_per_child_and_day(logged_in, school_class, children):
    for _ in range(2):
        logged_in.client.post(roll_call_url(school_class), data=form_for(logged_in, school_class))
    count = db.session.scalar(select(func.count()).select_from(AttendanceMark))
    assert count == 30


def test_the_database_holds_one_mark_per_child_and_day(teacher, children):
    from sqlalchemy.exc import IntegrityError

    AttendanceMarkFactory(child_obj=children[0], recorded_by=teacher)
    with pytest.raises(IntegrityError):
        AttendanceMarkFactory(child_obj=children[0], recorded_by=teacher, status=Status.ABSENT)
    db.session.rollback()


def test_a_tampered_version_is_refused(logged_in, school_class, children):
    data = form_for(logged_in, school_class)
    data[f"version-{children[2].id}"] = "one"
    response = logged_in.client.post(roll_call_url(school_class), data=data)
    assert response.status_code == 422
    assert "changed in an unexpected way" in response.get_data(as_text=True)
    assert marks() == []


def test_an_invalid_day_is_refused_in_the_users_language(
    logged_in, teacher, school_class, children
):
    teacher.preferred_language = "ru"
    db.session.commit()
    response = logged_in.client.get(f"/classes/{school_class.id}/roll-call?day=2026-13-45")
    assert response.status_code == 422
    assert "Неверная дата." in response.get_data(as_text=True)


def test_an_htmx_error_goes_to_the_message_area_and_keeps_the_form(
    logged_in, school_class, children
):
    data = form_for(logged_in, school_class, changes={children[4]: "on_holiday"})
    response = logged_in.client.post(
        roll_call_url(school_class), data=data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#flash"
    assert response.headers["HX-Reswap"] == "innerHTML"
    assert 'role="alert"' in response.get_data(as_text=True)
    assert marks() == []
