"""Administration of schools, classes and children's enrolment, and the year-end rollover."""

from datetime import date

import pytest
from sqlalchemy import select

from app.attendance.models import AttendanceMark
from app.auth.models import AccessChange, Role
from app.children.models import Child, Enrolment, School, SchoolClass
from app.extensions import db
from tests.factories import (
    AttendanceMarkFactory,
    ChildFactory,
    SchoolClassFactory,
    SchoolFactory,
    UserFactory,
)


@pytest.fixture
def admin(auth):
    user = UserFactory(role=Role.ADMINISTRATOR)
    auth.log_in_as(user)
    return auth


def post(admin, url, **data):
    return admin.client.post(url, data={"csrf_token": admin.csrf_token(), **data})


def enrolled(school_class, **kwargs):
    """A child on the roll of `school_class`, with an open enrolment like the admin pages make."""
    child = ChildFactory(school_class=school_class, **kwargs)
    db.session.add(
        Enrolment(child_id=child.id, class_id=school_class.id, starts_on=date(2026, 9, 1))
    )
    db.session.commit()
    return child


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/schools", "/admin/children", "/admin/rollover"]
)
def test_only_administrators_reach_the_administration(client, auth, path):
    auth.log_in_as(UserFactory(role=Role.TEACHER))
    assert client.get(path).status_code == 404


def test_an_administrator_lands_on_the_administration(auth):
    auth.log_in_as(UserFactory(role=Role.ADMINISTRATOR))
    response = auth.client.get("/", follow_redirects=True)
    assert response.request.path == "/admin/"


def test_create_rename_and_archive_a_school(admin):
    response = post(admin, "/admin/schools", name="№3 мектеп", district="Демо", region="Облыс")
    assert response.status_code == 303
    school = db.session.scalars(select(School)).one()
    post(admin, f"/admin/schools/{school.id}", name="№3 гимназия", district="Демо", region="Облыс")
    assert school.name == "№3 гимназия"
    SchoolClassFactory(school=school)
    assert post(admin, f"/admin/schools/{school.id}/archive").status_code == 303
    db.session.expire_all()
    assert school.archived_at is not None
    assert all(c.archived_at is not None for c in school.classes)
    assert db.session.get(School, school.id) is not None  # archived, never deleted


def test_a_school_with_children_cannot_be_archived(admin):
    school_class = SchoolClassFactory()
    enrolled(school_class)
    response = post(admin, f"/admin/schools/{school_class.school_id}/archive")
    assert response.status_code == 422
    assert "Children are still enrolled in this school" in response.get_data(as_text=True)
    db.session.expire_all()
    assert school_class.school.archived_at is None


def test_classes_belong_to_an_academic_year_and_are_unique_in_it(admin):
    school = SchoolFactory()
    url = f"/admin/schools/{school.id}/classes"
    data = {
        "class-grade": "0",
        "class-letter": "А",
        "class-language": "kk",
        "class-academic_year": "2026-2027",
    }
    assert post(admin, url, **data).status_code == 303  # grade 0 is a real grade
    again = post(admin, url, **data)
    assert again.status_code == 422
    assert "already has that class" in again.get_data(as_text=True)
    too_high = post(admin, url, **{**data, "class-grade": "12"})
    assert "The grade must be from 0 to 11." in too_high.get_data(as_text=True)
    bad_year = post(admin, url, **{**data, "class-academic_year": "2026"})
    assert "like 2026-2027" in bad_year.get_data(as_text=True)
    assert [c.academic_year for c in db.session.scalars(select(SchoolClass))] == ["2026-2027"]


def test_a_class_with_children_cannot_be_archived_an_empty_one_can(admin):
    full, empty = SchoolClassFactory(), SchoolClassFactory()
    enrolled(full)
    assert post(admin, f"/admin/classes/{full.id}/archive").status_code == 422
    assert post(admin, f"/admin/classes/{empty.id}/archive").status_code == 303
    db.session.expire_all()
    assert (full.archived_at, empty.archived_at is not None) == (None, True)


def test_add_a_child_enrols_them(admin):
    school_class = SchoolClassFactory()
    response = post(
        admin,
        "/admin/children",
        family_name="Сәрсенова",
        given_name="Әсел",
        patronymic="",
        birth_date="2016-04-02",
        sex="F",
        class_id=str(school_class.id),
        home_languages="ar, kk",
        needs_language_support="y",
    )
    assert response.status_code == 303
    child = db.session.scalars(select(Child)).one()
    assert (child.class_id, child.home_languages, child.needs_language_support) == (
        school_class.id,
        "ar,kk",
        True,
    )
    [row] = db.session.scalars(select(Enrolment)).all()
    assert (row.class_id, row.starts_on, row.ends_on) == (school_class.id, date(2026, 11, 18), None)


def test_the_same_child_is_not_added_twice(admin):
    school_class = SchoolClassFactory()
    enrolled(school_class, family_name="Сәрсенова", given_name="Әсел", birth_date=date(2016, 4, 2))
    response = post(
        admin,
        "/admin/children",
        family_name="Sarsenova",
        given_name="Asel",
        birth_date="2016-04-02",
        sex="F",
        class_id=str(school_class.id),
    )
    assert response.status_code == 422
    assert "already on the roll" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(Child)).all()) == 1


@pytest.mark.parametrize("typed", ["Нұрлан", "Нурлан", "Nūrlan", "Nurlan", "nurlan ahmet"])
def test_search_finds_a_name_typed_in_any_script(admin, typed):
    child = enrolled(SchoolClassFactory(), given_name="Нұрлан", family_name="Ахметов")
    enrolled(SchoolClassFactory(), given_name="Дана", family_name="Серікова")
    html = post(admin, "/admin/children/search", q=typed).get_data(as_text=True)
    assert str(child.id) in html
    assert "Серікова" not in html


def test_moving_a_child_keeps_the_history_and_the_attendance_where_it_was_taken(admin, auth):
    old_teacher, new_teacher = UserFactory(), UserFactory()
    old = SchoolClassFactory(teachers=[old_teacher])
    new = SchoolClassFactory(teachers=[new_teacher])  # another school
    child = enrolled(old)
    AttendanceMarkFactory(child_obj=child, recorded_by=old_teacher, day=date(2026, 11, 16))
    response = post(
        admin,
        f"/admin/children/{child.id}/move",
        **{"move-class_id": str(new.id), "move-on": "2026-11-17"},
    )
    assert response.status_code == 303
    rows = db.session.scalars(select(Enrolment).order_by(Enrolment.starts_on)).all()
    assert [(r.class_id, r.starts_on, r.ends_on, r.end_reason) for r in rows] == [
        (old.id, date(2026, 9, 1), date(2026, 11, 17), "moved"),
        (new.id, date(2026, 11, 17), None, None),
    ]
    assert db.session.scalars(select(AttendanceMark.class_id)).one() == old.id
    db.session.expire_all()
    assert child.class_id == new.id


def test_a_child_can_be_recorded_as_having_left(admin):
    child = enrolled(SchoolClassFactory())
    response = post(admin, f"/admin/children/{child.id}/leave", **{"leave-on": "2026-11-18"})
    assert response.status_code == 303
    db.session.expire_all()
    assert (child.class_id, child.left_on) == (None, date(2026, 11, 18))
    row = db.session.scalars(select(Enrolment)).one()
    assert (row.ends_on, row.end_reason) == (date(2026, 11, 18), "left")


def test_a_move_dated_before_the_current_class_began_is_refused(admin):
    child = enrolled(SchoolClassFactory())
    response = post(
        admin,
        f"/admin/children/{child.id}/move",
        **{"move-class_id": str(SchoolClassFactory().id), "move-on": "2026-08-01"},
    )
    assert response.status_code == 422
    assert len(db.session.scalars(select(Enrolment)).all()) == 1


def test_the_rollover_preview_shows_what_will_change_and_changes_nothing(admin):
    fifth = SchoolClassFactory(grade=5, letter="А")
    eleventh = SchoolClassFactory(grade=11, letter="Б", school=fifth.school)
    for _ in range(3):
        enrolled(fifth)
    enrolled(eleventh)
    html = admin.client.get("/admin/rollover?year=2026-2027").get_data(as_text=True)
    assert "3 children move up a grade." in html
    assert "1 child finishes school." in html
    assert "6 А" in html and "Leaves school" in html
    assert len(db.session.scalars(select(SchoolClass)).all()) == 2


def test_the_rollover_moves_every_class_up_and_the_last_grade_leaves(admin):
    teacher = UserFactory()
    fifth = SchoolClassFactory(grade=5, letter="А", teachers=[teacher])
    eleventh = SchoolClassFactory(grade=11, letter="Б", school=fifth.school)
    pupils = [enrolled(fifth) for _ in range(3)]
    leaver = enrolled(eleventh)
    response = post(admin, "/admin/rollover", year="2026-2027")
    assert response.status_code == 303
    db.session.expire_all()
    sixth = db.session.scalars(
        select(SchoolClass).where(SchoolClass.academic_year == "2027-2028")
    ).one()
    assert (sixth.grade, sixth.letter, sixth.school_id) == (6, "А", fifth.school_id)
    assert sixth.teachers == [teacher]
    [change] = db.session.scalars(select(AccessChange).where(AccessChange.user_id == teacher.id))
    assert (change.change, change.detail) == ("class_added", str(sixth.id))
    assert change.actor_id is not None
    assert {p.class_id for p in pupils} == {sixth.id}
    assert (leaver.class_id, leaver.left_on) == (None, date(2027, 9, 1))
    assert fifth.archived_at is not None and eleventh.archived_at is not None
    again = post(admin, "/admin/rollover", year="2026-2027")
    assert again.status_code == 422
    assert "no current classes" in again.get_data(as_text=True)


def test_after_the_rollover_a_teacher_sees_the_new_class_not_the_archived_one(admin, client, auth):
    teacher = UserFactory()
    fifth = SchoolClassFactory(grade=5, letter="А", teachers=[teacher])
    enrolled(fifth)
    post(admin, "/admin/rollover", year="2026-2027")
    post(admin, "/logout")
    auth.log_in_as(teacher)
    html = client.get("/today").get_data(as_text=True)
    assert "6 А" in html and "5 А" not in html
