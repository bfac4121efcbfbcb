"""No name, email or note reaches the application logs or the audit trail."""

import logging

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Role, User
from app.core.audit import AuditEvent
from app.extensions import db
from tests.conftest import TODAY
from tests.factories import ChildFactory, SchoolClassFactory, UserFactory
from tests.test_audit_trail import make_op, roll_call_form, sync
from tests.test_roster_import import csv_bytes, do_import, preview, upload

EMAIL = "aigerim.teacher@school.example"
TEACHER_NAME = "Айгерім Сапарова"
CHILD_NAMES = ("Жанұзақова", "Ботагөз")
NOTE = "visiting her grandmother in hospital"
OFFLINE_NOTE = "at the clinic with her brother"
IMPORTED = ("Тоқтарова", "Мөлдір")


def test_no_name_email_or_note_reaches_the_logs_or_the_audit_trail(client, auth, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # as when debugging a server
    teacher = UserFactory(email=EMAIL, display_name=TEACHER_NAME)
    school_class = SchoolClassFactory(teachers=[teacher], grade=5, letter="А")
    child = ChildFactory(
        school_class=school_class, family_name=CHILD_NAMES[0], given_name=CHILD_NAMES[1]
    )
    auth.login(teacher, password="not the password at all")
    auth.client.post("/login", data={"email": "nobody.known@school.example", "password": "x"})
    auth.log_in_as(teacher)
    url = f"/classes/{school_class.id}/roll-call"
    form = roll_call_form(client, auth, url, absent=[child])
    form[f"reason-{child.id}"] = NOTE
    assert client.post(url, data=form).status_code == 303
    op = make_op(child, day=TODAY.replace(day=17), reason=OFFLINE_NOTE)
    assert sync(client, auth, op=op)["result"] == "applied"
    assert client.get(f"/children/{child.id}").status_code == 200
    client.post("/logout", data={"csrf_token": auth.csrf_token()})

    auth.log_in_as(UserFactory(role=Role.ADMINISTRATOR))
    row = [*IMPORTED, "", "14.03.2015", "Қ", "5А"]
    header = ["Тегі", "Аты", "Әкесінің аты", "Туған күні", "Жынысы", "Сынып"]
    uploaded = upload(client, auth, school_class.school, csv_bytes([header, row]))
    _page, upload_id, args = preview(client, uploaded)
    assert do_import(client, auth, upload_id, args).status_code == 303
    client.post(
        "/admin/children/search", data={"q": CHILD_NAMES[1], "csrf_token": auth.csrf_token()}
    )

    secrets = [EMAIL, "nobody.known", TEACHER_NAME, *CHILD_NAMES, NOTE, OFFLINE_NOTE, *IMPORTED]
    assert "SELECT" in caplog.text, "the statements were logged"
    assert [s for s in secrets if s in caplog.text] == []
    trail = db.session.execute(select(AuditEvent.__table__)).all()
    assert len(trail) >= 10
    values = " ".join(str(value) for entry in trail for value in entry)
    assert [s for s in secrets if s in values] == []


@pytest.mark.parametrize("password_hash", [None, "x"], ids=["row refused", "key taken"])
def test_a_database_error_names_no_value(teacher, password_hash):
    """Such an error is logged with its message (a sync op that fails, a 500)."""
    user = User(email=teacher.email, display_name=TEACHER_NAME, role=Role.TEACHER)
    user.password_hash = password_hash
    db.session.add(user)
    with pytest.raises(IntegrityError) as error:
        db.session.flush()
    db.session.rollback()
    assert teacher.email not in str(error.value) and TEACHER_NAME not in str(error.value)
