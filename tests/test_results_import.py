"""Import from the school's e-journal (issue 13, point 4): term marks and attendance history
from a teacher's CSV (UTF-8 or Windows-1251) or XLSX export, mapped like the roster import,
previewed with every problem by row, imported all or nothing, and never twice."""

import io
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.attendance.models import AttendanceMark, AttendanceMarkHistory, Status
from app.auth.models import Role
from app.core.audit import AuditEvent
from app.extensions import db
from app.results.models import Subject, TermResult, TermResultHistory
from app.results.subjects import add_default_subjects, assign
from app.uploads.models import Upload
from tests.conftest import count_queries
from tests.factories import (
    AttendanceMarkFactory,
    ChildFactory,
    SchoolClassFactory,
    TermFactory,
    UserFactory,
)
from tests.test_roster_import import chosen_columns, csv_bytes, xlsx_bytes

HEADER = ["ФИО", "Класс", "Предмет", "Четверть", "Процент", "Оценка", "Комментарий"]
ROWS = [
    ["Абаев Нұрлан", "5А", "Математика", "2", "72", "4", ""],
    ["Жумабаева Айгерім", "5А", "Математика", "2", "", "5", "Молодец"],
    ["Абаев Нұрлан", "5А", "Английский язык", "1", "90", "", ""],
]


@pytest.fixture
def world(teacher):
    """Teacher's class 5А (grade 5) of two and their 1А (grade 1); another teacher's 5Б."""
    add_default_subjects()
    TermFactory(number=1, starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 28))
    TermFactory()  # term 2: 3 November to 28 December, under way
    TermFactory(number=3, starts_on=date(2027, 1, 11), ends_on=date(2027, 3, 19))
    own = SchoolClassFactory(grade=5, letter="А", teachers=[teacher])
    first = SchoolClassFactory(grade=1, letter="А", school=own.school, teachers=[teacher])
    other = SchoolClassFactory(grade=5, letter="Б", school=own.school, teachers=[UserFactory()])
    children = {
        "nurlan": ChildFactory(family_name="Абаев", given_name="Нұрлан", school_class=own),
        "aigerim": ChildFactory(family_name="Жумабаева", given_name="Айгерім", school_class=own),
        "dana": ChildFactory(family_name="Ким", given_name="Дана", school_class=first),
        "erlan": ChildFactory(family_name="Серіков", given_name="Ерлан", school_class=other),
    }
    return own, first, other, children


@pytest.fixture
def logged_in(auth, teacher):
    auth.log_in_as(teacher)
    return teacher


def subject(code: str) -> Subject:
    return db.session.scalar(select(Subject).where(Subject.code == code))


def upload(client, auth, content: bytes, filename="marks.csv", kind="results"):
    boundary, body = encode_multipart(
        {"csrf_token": auth.csrf_token(), "file": FileStorage(io.BytesIO(content), filename)}
    )
    return client.post(
        f"/import/{kind}", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def preview(client, auth, content: bytes, filename="marks.csv", kind="results"):
    """Upload, take the columns as guessed, and open the preview: (its page, the import's form)."""
    uploaded = upload(client, auth, content, filename, kind)
    assert uploaded.status_code == 303, uploaded.get_data(as_text=True)
    columns = client.get(uploaded.location)
    assert columns.status_code == 200
    args = chosen_columns(columns.get_data(as_text=True))
    page = client.get(uploaded.location.replace("/columns", "/preview"), query_string=args)
    return page, uploaded.location.replace("/columns", "/import"), args


def import_previewed(client, auth, page, action, args):
    html = page.get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" value="(\w+)"', html).group(1)
    data = {**args, "fingerprint": fingerprint, "csrf_token": auth.csrf_token()}
    return client.post(action, data=data)


def imported(client, auth, content: bytes, filename="marks.csv", kind="results"):
    page, action, args = preview(client, auth, content, filename, kind)
    assert page.status_code == 200
    return import_previewed(client, auth, page, action, args)


def results() -> dict:
    rows = db.session.scalars(select(TermResult))
    return {(r.child_id, r.subject_id, r.term_id): (r.percentage, r.mark, r.comment) for r in rows}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def problems_of(html: str) -> list[tuple[str, str]]:
    """(row, problem) from the preview's table of problems."""
    table = html.split('class="import-table import-problems"')[1].split("</table>")[0]
    found = re.findall(r'<th scope="row">(\d+)</th>\s*<td>.*?</td>\s*<td>(.*?)</td>', table, re.S)
    return [(row, re.sub(r"\s+", " ", message).strip()) for row, message in found]


# -- term marks --


def test_a_teacher_imports_term_marks_from_a_utf8_csv(client, auth, world, logged_in):
    own, _first, _other, children = world
    done = imported(client, auth, csv_bytes([HEADER, *ROWS], delimiter=";"))
    assert done.status_code == 303 and done.location == "/results"
    stored = results()
    nurlan, aigerim = children["nurlan"].id, children["aigerim"].id
    assert set(stored.values()) == {(72, 4, None), (None, 5, "Молодец"), (90, 5, None)}
    assert {key[0] for key in stored} == {nurlan, aigerim}
    assert all(r.class_id == own.id for r in db.session.scalars(select(TermResult)))
    assert count(Upload) == 0  # the file is not kept once imported
    assert "3 results imported." in client.get("/results").get_data(as_text=True)


def test_a_windows_1251_csv_in_russian_is_read(client, auth, world, logged_in):
    # Russian spellings of the Kazakh names: Windows-1251 has no "ұ" or "і".
    rows = [[cell.replace("ұ", "у").replace("і", "и") for cell in row] for row in ROWS]
    done = imported(client, auth, csv_bytes([HEADER, *rows], delimiter=";", encoding="cp1251"))
    assert done.status_code == 303
    assert len(results()) == 3


def test_an_xlsx_export_in_kazakh_with_separate_names_is_read(client, auth, world, logged_in):
    header = ["Тегі", "Аты", "Сынып", "Пән", "Тоқсан", "Пайыз", "Баға"]
    rows = [["Абаев", "Нурлан", "5 А", "математика", "2-тоқсан", 86.0, 5]]
    page, action, args = preview(client, auth, xlsx_bytes([header, *rows]), "marks.xlsx")
    assert set(args) == {"family_name", "given_name", "class_name", "subject", "term"} | {
        "percentage",
        "mark",
    }
    assert "1 new" in page.get_data(as_text=True)
    assert import_previewed(client, auth, page, action, args).status_code == 303
    assert list(results().values()) == [(86, 5, None)]


def test_the_teacher_may_change_the_guessed_columns(client, auth, world, logged_in):
    header = ["Оқушы", "Пән", "Тоқсан", "Нәтиже"]  # the last header is not one Qadam knows
    rows = [["Абаев Нұрлан", "Математика", "2", "4"]]
    uploaded = upload(client, auth, csv_bytes([header, *rows]))
    columns = client.get(uploaded.location).get_data(as_text=True)
    assert "Qadam could not find a column for: Percentage, term mark or comment." in columns
    guessed = chosen_columns(columns)
    assert guessed == {"child": "0", "subject": "1", "term": "2"}
    preview_url = uploaded.location.replace("/columns", "/preview")
    assert client.get(preview_url, query_string=guessed).status_code == 422
    chosen = client.get(preview_url, query_string={**guessed, "mark": "3"})
    assert chosen.status_code == 200
    assert "1 new" in chosen.get_data(as_text=True)


POINT_10 = [
    (["Абаев Нұрлан", "5А", "Математика", "2", "101", "", ""], "A percentage is a whole"),
    (["Абаев Нұрлан", "5А", "Математика", "2", "", "6", ""], "A term mark is a whole number"),
    (["Ким Дана", "1А", "Обучение грамоте", "2", "", "5", ""], "Grade 1 is not marked"),
    (["Абаев Нұрлан", "5А", "Алгебра", "2", "70", "", ""], "This subject is not taught in this"),
    (["Абаев Нұрлан", "5А", "Математика", "3", "70", "", ""], "This term has not begun yet."),
    (["Ким Дана", "5А", "Математика", "2", "70", "", ""], "Ким Дана is not in class 5А."),
    (["Серіков Ерлан", "5Б", "Математика", "2", "70", "", ""], "is not one of your classes"),
    (["Серіков Ерлан", "", "Математика", "2", "70", "", ""], "There is no child named"),
    (["Абаев Нұрлан", "5А", "Рисование", "2", "70", "", ""], "is not a subject Qadam knows"),
    (["Абаев Нұрлан", "5А", "Математика", "5", "70", "", ""], "is not a term: write 1, 2, 3"),
    (["Абаев Нұрлан", "5А", "Математика", "2", "72", "5", ""], "72% gives the term mark 4, not 5"),
    (["Абаев Нұрлан", "5А", "Математика", "2", "7,5", "", ""], "is not a whole number"),
    (["Абаев Нұрлан", "5А", "Математика", "1", "70", "", ""], ""),  # a good row among them
    (["Абаев Нұрлан", "5А", "Математика", "1", "71", "", ""], "Row 14 already gives"),
]


def test_the_preview_lists_every_problem_by_row_and_the_import_writes_nothing(
    client, auth, world, logged_in
):
    content = csv_bytes([HEADER, *(row for row, _problem in POINT_10)])
    page, action, args = preview(client, auth, content)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    listed = problems_of(html)
    expected = [(str(i + 2), p) for i, (_row, p) in enumerate(POINT_10) if p]
    assert [row for row, _message in listed] == [row for row, _p in expected]
    for (_row, message), (_same, part) in zip(listed, expected, strict=True):
        assert part in message.replace("&#34;", '"').replace("&#39;", "'"), message
    assert "13 rows with problems" in html
    assert 'name="fingerprint"' not in html  # no import button while a row has a problem
    refused = client.post(action, data={**args, "csrf_token": auth.csrf_token()})
    assert refused.status_code == 422
    assert "Nothing was imported: the file has problems." in refused.get_data(as_text=True)
    assert count(TermResult) == 0 and count(Upload) == 1


def test_a_subject_teacher_imports_only_their_subject_in_that_class(client, auth, world, logged_in):
    _own, _first, other, _children = world
    subject_teacher = UserFactory()
    assign(other, subject("english"), subject_teacher)
    db.session.commit()
    auth.log_in_as(subject_teacher)
    rows = [
        ["Серіков Ерлан", "5Б", "Английский язык", "2", "88", "", ""],
        ["Серіков Ерлан", "5Б", "Математика", "2", "88", "", ""],
        ["Абаев Нұрлан", "5А", "Английский язык", "2", "88", "", ""],
    ]
    page, _action, _args = preview(client, auth, csv_bytes([HEADER, *rows]))
    assert problems_of(page.get_data(as_text=True)) == [
        ("3", "You do not enter this subject&#39;s results for this child."),
        ("4", "“5А” is not one of your classes."),
    ]


def test_importing_the_same_file_twice_adds_nothing_twice(client, auth, world, logged_in):
    content = csv_bytes([HEADER, *ROWS])
    imported(client, auth, content)
    versions = {r.id: r.version for r in db.session.scalars(select(TermResult))}
    writes = db.session.scalar(select(func.max(AuditEvent.id)))
    page, action, args = preview(client, auth, content)
    html = page.get_data(as_text=True)
    assert "0 new" in html and "0 corrections" in html and "3 rows already in Qadam" in html
    assert "Every row is already in Qadam: importing the file changes nothing." in html
    done = import_previewed(client, auth, page, action, args)
    assert done.status_code == 303
    db.session.expire_all()
    assert {r.id: r.version for r in db.session.scalars(select(TermResult))} == versions
    assert count(TermResultHistory) == 0
    audited = db.session.scalars(select(AuditEvent.action).where(AuditEvent.id > writes))
    assert "results_import" not in set(audited)


def test_a_correction_is_shown_as_one_and_keeps_the_earlier_value(client, auth, world, logged_in):
    imported(client, auth, csv_bytes([HEADER, *ROWS]))
    changed = [["Абаев Нұрлан", "5А", "Математика", "2", "55", "", "Старается"], *ROWS[1:]]
    page, action, args = preview(client, auth, csv_bytes([HEADER, *changed]))
    html = page.get_data(as_text=True)
    assert "1 correction" in html and "2 rows already in Qadam" in html
    assert (
        "correction of: <bdi>4 · 72%</bdi>" in html and "<bdi>3 · 55% · “Старается”</bdi>" in html
    )
    assert import_previewed(client, auth, page, action, args).status_code == 303
    [history] = db.session.scalars(select(TermResultHistory))
    assert (history.percentage, history.mark, history.version) == (72, 4, 1)
    assert (55, 3, "Старается") in results().values()


def test_an_empty_comment_and_a_mark_alone_keep_what_is_stored(client, auth, world, logged_in):
    imported(
        client,
        auth,
        csv_bytes([HEADER, ["Абаев Нұрлан", "5А", "Математика", "2", "72", "", "Читает"]]),
    )
    marks_only = csv_bytes(
        [["ФИО", "Предмет", "Четверть", "Оценка"], ["Абаев Нұрлан", "Математика", "2", "4"]]
    )
    page, _action, _args = preview(client, auth, marks_only)
    assert "1 row already in Qadam" in page.get_data(as_text=True)


def test_a_preview_overtaken_by_a_change_imports_nothing(client, auth, world, logged_in):
    imported(client, auth, csv_bytes([HEADER, *ROWS]))
    changed = [["Абаев Нұрлан", "5А", "Математика", "2", "55", "", ""]]
    page, action, args = preview(client, auth, csv_bytes([HEADER, *changed]))
    result = db.session.scalar(select(TermResult).where(TermResult.percentage == 72))
    result.percentage, result.mark = 95, 5  # another teacher's correction meanwhile
    db.session.commit()
    overtaken = import_previewed(client, auth, page, action, args)
    assert overtaken.status_code == 409
    assert "what is stored changed after you checked the file" in overtaken.get_data(as_text=True)
    assert "correction of: <bdi>5 · 95%</bdi>" in overtaken.get_data(as_text=True)
    db.session.expire_all()
    assert (95, 5, None) in results().values() and (55, 3, None) not in results().values()


def test_an_import_is_audited_per_child_and_its_preview_per_class(client, auth, world, logged_in):
    own, *_rest = world
    children = world[3]
    imported(client, auth, csv_bytes([HEADER, *ROWS]))
    events = db.session.execute(select(AuditEvent.action, AuditEvent.record_id))
    events = [(action, record) for action, record in events if action != "login"]
    assert ("view_results", str(own.id)) in events
    written = sorted(record for action, record in events if action == "results_import")
    nurlan, aigerim = str(children["nurlan"].id), str(children["aigerim"].id)
    assert written == sorted([nurlan, nurlan, aigerim])


def test_the_check_reads_in_the_same_statements_for_3_rows_or_30(client, auth, world, logged_in):
    own = world[0]
    names = [f"Тест{c}{v}" for c in "bdfgkm" for v in "aeiou"]
    for name in names:
        ChildFactory(family_name=name, given_name="Бала", school_class=own)
    many = [[f"{name} Бала", "5А", "Математика", "2", "70", "", ""] for name in names]
    counts = []
    for content in (csv_bytes([HEADER, *ROWS]), csv_bytes([HEADER, *many])):
        uploaded = upload(client, auth, content)
        args = chosen_columns(client.get(uploaded.location).get_data(as_text=True))
        with count_queries() as statements:
            page = client.get(uploaded.location.replace("/columns", "/preview"), query_string=args)
        assert page.status_code == 200
        assert "rows with problems" not in page.get_data(as_text=True).replace("0 rows with", "")
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_an_import_writes_in_the_same_statements_for_3_rows_or_30(client, auth, world, logged_in):
    own = world[0]
    names = [f"Тест{c}{v}" for c in "bdfgkm" for v in "aeiou"]
    for name in names:
        ChildFactory(family_name=name, given_name="Бала", school_class=own)
    counts = []
    for term, chosen in (("1", names[:3]), ("2", names)):
        rows = [[f"{name} Бала", "5А", "Математика", term, "70", "", ""] for name in chosen]
        page, action, args = preview(client, auth, csv_bytes([HEADER, *rows]))
        with count_queries() as statements:
            assert import_previewed(client, auth, page, action, args).status_code == 303
        counts.append(len(statements))
    assert count(TermResult) == 33
    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.SOCIAL_WORKER, Role.COMMITTEE_MEMBER])
def test_only_teachers_import_from_the_e_journal(client, auth, world, role):
    auth.log_in_as(UserFactory(role=role))
    assert client.get("/import/results").status_code == 404
    assert upload(client, auth, csv_bytes([HEADER, *ROWS])).status_code == 404
    assert count(TermResult) == 0


def test_a_teacher_cannot_open_another_teachers_upload(client, auth, world, logged_in):
    uploaded = upload(client, auth, csv_bytes([HEADER, *ROWS]))
    auth.log_in_as(UserFactory())
    assert client.get(uploaded.location).status_code == 404


def test_the_pages_are_in_the_teachers_language(client, auth, world, logged_in):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    page = client.get("/import/results").get_data(as_text=True)
    assert "Импорт четвертных оценок из электронного журнала" in page
    assert "Import term marks" not in page


# -- attendance history --

ATTENDANCE = ["ФИО", "Класс", "Дата", "Отметка"]


def test_a_class_teacher_imports_attendance_history(client, auth, world, logged_in):
    _own, _first, _other, children = world
    rows = [
        ["Абаев Нұрлан", "5А", "02.11.2026", "н"],  # before term 2, in the autumn holidays
        ["Абаев Нұрлан", "5А", "04.11.2026", "Н"],
        ["Абаев Нұрлан", "5А", "05.11.2026", "+"],
        ["Жумабаева Айгерім", "5А", "05.11.2026", "Б"],
        ["Жумабаева Айгерім", "5А", "06.11.2026", "о"],
        ["Жумабаева Айгерім", "5А", "09.11.2026", ""],  # nothing written: left as it is
    ]
    page, action, args = preview(client, auth, csv_bytes([ATTENDANCE, *rows]), kind="attendance")
    assert problems_of(page.get_data(as_text=True)) == [("2", "This day is not a school day.")]
    rows = rows[1:]
    done = imported(client, auth, csv_bytes([ATTENDANCE, *rows]), kind="attendance")
    assert done.status_code == 303 and done.location == "/today"
    marks = {(m.child_id, m.day): m.status for m in db.session.scalars(select(AttendanceMark))}
    nurlan, aigerim = children["nurlan"].id, children["aigerim"].id
    assert marks == {
        (nurlan, date(2026, 11, 4)): Status.ABSENT,
        (nurlan, date(2026, 11, 5)): Status.PRESENT,
        (aigerim, date(2026, 11, 5)): Status.EXCUSED,
        (aigerim, date(2026, 11, 6)): Status.LATE,
    }
    again, action, args = preview(client, auth, csv_bytes([ATTENDANCE, *rows]), kind="attendance")
    assert "4 rows already in Qadam" in again.get_data(as_text=True)
    assert import_previewed(client, auth, again, action, args).status_code == 303
    assert count(AttendanceMarkHistory) == 0
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"attendance_import", "view_roll_call"} <= actions


def test_attendance_rows_with_problems_are_listed_and_nothing_written(
    client, auth, world, logged_in
):
    rows = [
        ["Абаев Нұрлан", "5А", "19.11.2026", "н"],
        ["Абаев Нұрлан", "5А", "07.11.2026", "н"],
        ["Абаев Нұрлан", "5А", "04.11.2026", "?"],
        ["Серіков Ерлан", "5Б", "04.11.2026", "н"],
        ["Абаев Нұрлан", "5А", "04.11.2026", "н"],
        ["Абаев Нұрлан", "5А", "04.11.2026", "+"],
        ["Абаев Нұрлан", "5А", "35.11.2026", "+"],
    ]
    page, action, args = preview(client, auth, csv_bytes([ATTENDANCE, *rows]), kind="attendance")
    assert problems_of(page.get_data(as_text=True)) == [
        ("2", "You cannot take a roll call for a day in the future."),
        ("3", "This day is not a school day."),
        ("4", "“?” is not an attendance mark Qadam knows."),
        ("5", "“5Б” is not one of your classes."),
        ("7", "Row 6 already gives this child&#39;s attendance that day."),
        ("8", "“35.11.2026” is not a date. Write dates as DD.MM.YYYY."),
    ]
    refused = client.post(action, data={**args, "csrf_token": auth.csrf_token()})
    assert refused.status_code == 422
    assert count(AttendanceMark) == 0


def test_an_attendance_correction_keeps_history_within_the_window_only(
    client, auth, world, logged_in, teacher
):
    children = world[3]
    nurlan = children["nurlan"]
    recent = AttendanceMarkFactory(child_obj=nurlan, recorded_by=teacher, day=date(2026, 11, 17))
    AttendanceMarkFactory(child_obj=nurlan, recorded_by=teacher, day=date(2026, 11, 4))
    rows = [["Абаев Нұрлан", "5А", "17.11.2026", "н"], ["Абаев Нұрлан", "5А", "04.11.2026", "н"]]
    page, _a, _b = preview(client, auth, csv_bytes([ATTENDANCE, *rows]), kind="attendance")
    [(row, message)] = problems_of(page.get_data(as_text=True))
    assert row == "3" and "can no longer be changed" in message
    done = imported(client, auth, csv_bytes([ATTENDANCE, rows[0]]), kind="attendance")
    assert done.status_code == 303
    [history] = db.session.scalars(select(AttendanceMarkHistory))
    assert history.mark_id == recent.id and history.status is Status.PRESENT
    db.session.refresh(recent)
    assert recent.status is Status.ABSENT and recent.version == 2


def test_a_subject_teacher_imports_no_attendance(client, auth, world):
    _own, _first, other, _children = world
    subject_teacher = UserFactory()
    assign(other, subject("english"), subject_teacher)
    db.session.commit()
    auth.log_in_as(subject_teacher)
    rows = [["Серіков Ерлан", "5Б", "04.11.2026", "н"]]
    page, _a, _b = preview(client, auth, csv_bytes([ATTENDANCE, *rows]), kind="attendance")
    assert problems_of(page.get_data(as_text=True)) == [("2", "“5Б” is not one of your classes.")]


def test_the_recorded_time_is_the_imports(client, auth, world, logged_in):
    imported(client, auth, csv_bytes([HEADER, ROWS[0]]))
    result = db.session.scalar(select(TermResult))
    assert result.recorded_at > datetime(2026, 1, 1, tzinfo=UTC)


def test_an_unknown_kind_of_import_does_not_exist(client, auth, world, logged_in):
    assert client.get("/import/background").status_code == 404
    assert upload(client, auth, csv_bytes([HEADER, *ROWS]), kind="background").status_code == 404
