"""Roster import: reading CSV and XLSX files, matching columns, checking rows, importing."""

import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime

import openpyxl
import pytest
from flask_babel import force_locale, ngettext
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.admin import roster
from app.admin.roster_fields import guess_columns, parse_sex
from app.auth.models import Role
from app.children.models import Child, Enrolment
from app.core.audit import AuditEvent
from app.core.errors import InvalidInput
from app.extensions import db
from app.uploads import limits as roster_limits
from app.uploads import read as roster_read
from app.uploads.fields import parse_class, parse_date
from app.uploads.limits import TableFileError as RosterFileError
from app.uploads.models import Upload as RosterUpload
from tests.conftest import TODAY, count_queries
from tests.factories import ChildFactory, SchoolClassFactory, SchoolFactory, UserFactory

HEADER_RU = ["Фамилия", "Имя", "Отчество", "Дата рождения", "Пол", "Класс"]
HEADER_KK = ["Тегі", "Аты", "Әкесінің аты", "Туған күні", "Жынысы", "Сынып"]
ROWS = [
    ["Абаев", "Нұрлан", "Серікұлы", "14.03.2015", "Ұ", "5А"],
    ["Жумабаева", "Айгерім", "", "2015-07-01", "Қ", "5 А"],
    ["Ким", "Дана", "", "01.09.2014", "ж", "5-Б"],
]
WRONG_ENCODING = (
    "The file could not be read: it is neither UTF-8 nor Windows-1251 text. Save it "
    "as “CSV UTF-8” or as an Excel workbook (.xlsx) and upload it again."
)


def csv_bytes(rows, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def school():
    school = SchoolFactory(name="№7 мектеп")
    SchoolClassFactory(school=school, grade=5, letter="А")
    SchoolClassFactory(school=school, grade=5, letter="Б")
    return school


@pytest.fixture
def admin(auth):
    user = UserFactory(role=Role.ADMINISTRATOR)
    auth.log_in_as(user)
    return user


def upload(client, auth, school, content: bytes, filename="roster.csv"):
    # Encoded in memory: the test client spools a large body to a file it never closes.
    boundary, body = encode_multipart(
        {
            "csrf_token": auth.csrf_token(),
            "school": str(school.id),
            "file": FileStorage(io.BytesIO(content), filename),
        }
    )
    return client.post(
        "/admin/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def chosen_columns(html: str) -> dict[str, str]:
    """The columns the mapping page has selected, as a person would submit them."""
    chosen = {}
    for key, options in re.findall(
        r'<select id="column-(\w+)" name="\w+">(.*?)</select>', html, re.S
    ):
        selected = re.search(r'<option value="(\d+)" selected>', options)
        if selected:
            chosen[key] = selected.group(1)
    return chosen


def preview(client, upload_response):
    """Follow the upload to the column page and submit its guesses, as they are."""
    columns = client.get(upload_response.location)
    assert columns.status_code == 200
    upload_id = upload_response.location.split("/")[3]
    school_id = upload_response.location.split("school=")[1]
    args = {"school": school_id, **chosen_columns(columns.get_data(as_text=True))}
    return client.get(f"/admin/import/{upload_id}/preview", query_string=args), upload_id, args


def do_import(client, auth, upload_id, args, skip=False):
    data = {**args, "csrf_token": auth.csrf_token()}
    if skip:
        data["skip"] = "1"
    return client.post(f"/admin/import/{upload_id}/import", data=data)


def unique_name(i: int) -> str:
    """A family name of its own for row i (names fold without digits or doubled letters)."""
    letters = "бвгдежзклмнпрстфхцчш"
    digits = []
    while True:
        i, digit = divmod(i, len(letters))
        digits.append(letters[digit] + "о")
        if not i:
            return "Тест" + "".join(digits)


def children_count() -> int:
    """Read through a connection of its own: what is really committed."""
    with db.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Child))


# -- reading files --


def test_reads_a_utf8_csv_with_bom_and_commas():
    table = roster.read_roster("r.csv", csv_bytes([HEADER_RU, *ROWS], encoding="utf-8-sig"))
    assert table.header == HEADER_RU
    assert [number for number, _cells in table.rows] == [2, 3, 4]
    assert table.rows[0][1][:2] == ["Абаев", "Нұрлан"]


def test_reads_a_windows_1251_csv_with_semicolons():
    rows = [HEADER_RU, ["Иванов", "Пётр", "Сергеевич", "14.03.2015", "М", "5А"]]
    table = roster.read_roster("r.csv", csv_bytes(rows, delimiter=";", encoding="cp1251"))
    assert table.header == HEADER_RU
    assert table.rows[0][1][:3] == ["Иванов", "Пётр", "Сергеевич"]


def test_reads_an_xlsx_under_a_title_row_with_date_cells():
    rows = [
        ["Список учащихся"],
        HEADER_RU,
        ["Абаев", "Нұрлан", None, datetime(2015, 3, 14), "М", "5А"],
    ]
    table = roster.read_roster("r.xlsx", xlsx_bytes(rows))
    assert table.header == HEADER_RU
    number, cells = table.rows[0]
    assert number == 3
    assert parse_date(cells[3]) == date(2015, 3, 14)


@pytest.mark.parametrize(
    "content",
    [
        "Фамилия,Имя\nАбаев,Нұрлан\n".encode("utf-16"),
        "Фамилия,Имя\nАбаев,Нурлан\n".encode("utf-16-le"),
        bytes(range(256)) * 4,
        "Nom,Prénom\nÉlodie,Hélène\n".encode("latin-1"),
    ],
    ids=["utf-16", "utf-16 without BOM", "binary", "latin-1"],
)
def test_a_file_in_another_encoding_is_refused_with_a_clear_message(content):
    with pytest.raises(RosterFileError) as refused:
        roster.read_roster("r.csv", content)
    assert refused.value.message == WRONG_ENCODING


def test_a_broken_workbook_is_refused():
    with pytest.raises(RosterFileError) as refused:
        roster.read_roster("r.xlsx", b"PK\x03\x04 not really a zip")
    assert refused.value.message == (
        "The file could not be read as an Excel workbook (.xlsx). Open it in Excel, "
        "save it as .xlsx or as “CSV UTF-8”, and upload it again."
    )


def test_too_large_and_too_long_files_are_refused(monkeypatch):
    with pytest.raises(RosterFileError) as refused:
        roster.read_roster("r.csv", b"a" * (5 * 1024 * 1024 + 1))
    assert refused.value.message == (
        "The file is larger than 5 MB. Split it into smaller files, for example one per grade."
    )
    rows = [HEADER_RU] + [[f"Ф{i}", "Имя", "", "01.01.2015", "М", "5А"] for i in range(20_001)]
    with pytest.raises(RosterFileError) as refused:
        roster.read_roster("r.csv", csv_bytes(rows))
    assert refused.value.message == (
        "The file has more than 20,000 rows. Split it into smaller files, "
        "for example one per grade."
    )


def test_empty_files_are_refused():
    for content, message in (
        (b"  \n", "The file is empty."),
        (csv_bytes([HEADER_RU]), "The file has no rows under its header."),
    ):
        with pytest.raises(RosterFileError) as refused:
            roster.read_roster("r.csv", content)
        assert refused.value.message == message


# -- columns and values --


def test_guesses_columns_from_kazakh_russian_and_english_headers():
    expected = {
        "family_name": 0, "given_name": 1, "patronymic": 2, "birth_date": 3, "sex": 4,
        "class_name": 5,
    }  # fmt: skip
    assert guess_columns(HEADER_KK) == expected
    assert guess_columns(HEADER_RU) == expected
    english = ["Family name", "Given name", "Patronymic", "Date of birth", "Sex", "Class"]
    assert guess_columns(english) == expected
    assert guess_columns(["№", "ФАМИЛИЯ ", "Дата рождения (дд.мм.гггг)", "Языковая поддержка"]) == {
        "family_name": 1,
        "birth_date": 2,
        "needs_language_support": 3,
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("14.03.2015", date(2015, 3, 14)),
        ("2015-03-14", date(2015, 3, 14)),
        (42077, date(2015, 3, 14)),
        ("42077", date(2015, 3, 14)),
        (datetime(2015, 3, 14), date(2015, 3, 14)),
        ("31.02.2015", None),
        ("весной", None),
    ],
)
def test_reads_dates_in_their_common_forms(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Ұ", "M"), ("Қ", "F"), ("М", "M"), ("ж", "F"), ("male", "M"), ("F", "F"), ("ер", "M"),
     ("қыз", "F"), ("мужской", "M"), ("Женский", "F"), ("?", None)],
)  # fmt: skip
def test_reads_sex_in_kazakh_russian_and_english(value, expected):
    assert parse_sex(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("5А", (5, "А")), ("5 А", (5, "А")), ("5-а", (5, "А")), ("5 «Ә» класс", (5, "Ә")),
     ("5A", (5, "А")), (11, (11, "")), ("пятый", None)],
)  # fmt: skip
def test_reads_classes_written_in_any_of_the_usual_ways(value, expected):
    assert parse_class(value) == expected


# -- checking rows --


def check_rows(school, rows, header=HEADER_RU):
    table = roster.read_roster("r.csv", csv_bytes([header, *rows]))
    return roster.check(table, guess_columns(table.header), school, TODAY)


def test_every_problem_is_listed_by_row_with_its_message(school):
    result = check_rows(
        school,
        [
            ["", "Нұрлан", "", "14.03.2015", "М", "5А"],
            ["Абаев", "", "", "14.03.2015", "М", "5А"],
            ["Абаев", "Ерлан", "", "31.02.2015", "М", "5А"],
            ["Абаев", "Ерлан", "", "01.01.2030", "М", "5А"],
            ["Абаев", "Марат", "", "01.01.2015", "?", "5А"],
            ["Абаев", "Тимур", "", "01.01.2015", "М", "9Я"],
            ["Абаев", "Дана", "", "", "", ""],
            ["Сейітова", "Әсел", "", "01.01.2015", "Ж", "5Б"],
        ],
    )
    assert [(p.row, p.message) for p in result.problems] == [
        (2, "The family name is missing."),
        (3, "The given name is missing."),
        (4, "“31.02.2015” is not a date. Write dates as DD.MM.YYYY."),
        (5, "The date of birth Jan 1, 2030 is in the future."),
        (6, "“?” is not a sex Qadam knows. Write M or F."),
        (7, "There is no current class “9Я” at №7 мектеп."),
        (8, "The date of birth is missing."),
        (8, "The sex is missing."),
        (8, "The class is missing."),
    ]
    assert [c.row for c in result.ready] == [9]
    assert result.rows_with_problems == 7


def test_a_child_already_in_qadam_is_recognised_in_any_spelling(school):
    ChildFactory(family_name="Абаев", given_name="Нұрлан", birth_date=date(2015, 3, 14))
    result = check_rows(school, [["Abaev", "Nurlan", "", "14.03.2015", "M", "5А"]])
    assert [(p.row, p.message) for p in result.problems] == [
        (2, "Абаев Нұрлан, born Mar 14, 2015, is already in Qadam.")
    ]


def test_the_same_child_twice_in_the_file_is_listed(school):
    result = check_rows(
        school,
        [
            ["Абаев", "Нұрлан", "", "14.03.2015", "М", "5А"],
            ["Абаев", "Нурлан", "", "14.03.2015", "М", "5А"],
        ],
    )
    assert [(p.row, p.message) for p in result.problems] == [
        (3, "The same child is already in row 2 of the file.")
    ]


def test_an_archived_class_is_not_a_current_class(school):
    archived = SchoolClassFactory(school=school, grade=6, letter="А")
    archived.archived_at = datetime(2026, 1, 1, tzinfo=UTC)
    db.session.commit()
    result = check_rows(school, [["Абаев", "Нұрлан", "", "14.03.2015", "М", "6А"]])
    assert result.problems[0].message == "There is no current class “6А” at №7 мектеп."


def test_home_languages_and_language_support_are_read(school):
    header = [*HEADER_RU, "Родной язык", "Языковая поддержка"]
    result = check_rows(
        school,
        [
            ["Абаев", "Нұрлан", "", "14.03.2015", "М", "5А", "арабский, kk", "да"],
            ["Ким", "Дана", "", "14.03.2015", "Ж", "5А", "клингонский", "может быть"],
        ],
        header=header,
    )
    assert result.ready[0].home_languages == ["ar", "kk"]
    assert result.ready[0].needs_language_support is True
    assert [p.message for p in result.problems] == [
        "“клингонский” is not a language Qadam knows.",
        "“может быть” is not yes or no.",
    ]


def test_checking_a_file_runs_the_same_few_queries_whatever_its_length(school):
    ChildFactory.create_batch(3)
    rows = [[unique_name(i), "Нұрлан", "", "14.03.2015", "М", "5А"] for i in range(300)]
    table = roster.read_roster("r.csv", csv_bytes([HEADER_RU, *rows]))
    with count_queries() as queries:
        roster.check(table, guess_columns(table.header), school, TODAY)
    assert len(queries) <= 3


# -- importing --


def test_import_creates_enrols_and_audits_each_child_by_id(school):
    result = check_rows(school, ROWS[:2])
    children = roster.import_rows(result.ready, on=TODAY)
    db.session.commit()
    assert [c.family_name for c in children] == ["Абаев", "Жумабаева"]
    enrolments = db.session.scalars(select(Enrolment)).all()
    assert {(e.child_id, e.starts_on) for e in enrolments} == {(c.id, TODAY) for c in children}
    events = db.session.scalars(select(AuditEvent)).all()
    assert {(e.action, e.record_type, e.record_id) for e in events} == {
        ("create", "child", str(c.id)) for c in children
    }


def fail_on_row_5(monkeypatch, error: Exception) -> None:
    """Make the import fail half-way: the fifth child's write raises `error`."""
    calls = []

    def audit_failing_on_row_5(action, record_type, record_id=None):
        calls.append(record_id)
        if len(calls) == 5:
            raise error

    monkeypatch.setattr(roster, "audit", audit_failing_on_row_5)


def test_an_import_failing_half_way_writes_nothing(school, monkeypatch):
    rows = [[unique_name(i), "Нұрлан", "", "14.03.2015", "М", "5А"] for i in range(8)]
    result = check_rows(school, rows)
    fail_on_row_5(monkeypatch, RuntimeError("the disk is full"))
    with pytest.raises(RuntimeError):
        roster.import_rows(result.ready, on=TODAY)
    db.session.rollback()
    assert children_count() == 0


# -- the pages --


def test_admin_imports_a_clean_utf8_csv_from_upload_to_children(client, auth, admin, school):
    response = upload(client, auth, school, csv_bytes([HEADER_KK, *ROWS], encoding="utf-8-sig"))
    assert response.status_code == 303
    page, upload_id, args = preview(client, response)
    html = page.get_data(as_text=True)
    assert "3 rows ready to import" in html
    assert "0 rows with problems" in html
    assert "No problems found: every row can be imported." in html
    done = do_import(client, auth, upload_id, args)
    assert done.status_code == 303
    assert done.location == "/admin/import"
    assert "3 children were imported into №7 мектеп." in client.get("/admin/import").get_data(
        as_text=True
    )
    children = db.session.scalars(select(Child).order_by(Child.family_name)).all()
    assert [(c.family_name, c.sex, c.school_class.name) for c in children] == [
        ("Абаев", "M", "5 А"),
        ("Жумабаева", "F", "5 А"),
        ("Ким", "F", "5 Б"),
    ]
    assert children[0].patronymic == "Серікұлы"
    assert children[1].patronymic is None
    assert db.session.scalar(select(func.count()).select_from(RosterUpload)) == 0


def test_a_windows_1251_semicolon_csv_imports(client, auth, admin, school):
    rows = [HEADER_RU, ["Иванов", "Пётр", "Сергеевич", "14.03.2015", "мужской", "5 «А»"]]
    response = upload(client, auth, school, csv_bytes(rows, delimiter=";", encoding="cp1251"))
    page, upload_id, args = preview(client, response)
    assert "1 row ready to import" in page.get_data(as_text=True)
    assert do_import(client, auth, upload_id, args).status_code == 303
    child = db.session.scalars(select(Child)).one()
    assert (child.full_name, child.birth_date) == ("Иванов Пётр Сергеевич", date(2015, 3, 14))


def test_an_xlsx_roster_imports(client, auth, admin, school):
    rows = [
        ["Family name", "Given name", "Date of birth", "Sex", "Class", "Home languages"],
        ["Abaev", "Nurlan", datetime(2015, 3, 14), "M", "5A", "Arabic"],
        ["Kim", "Dana", "01.09.2014", "F", "5Б", ""],
    ]
    response = upload(client, auth, school, xlsx_bytes(rows), filename="roster.xlsx")
    page, upload_id, args = preview(client, response)
    assert "2 rows ready to import" in page.get_data(as_text=True)
    do_import(client, auth, upload_id, args)
    abaev = db.session.scalars(select(Child).where(Child.family_name == "Abaev")).one()
    assert (abaev.birth_date, abaev.home_languages) == (date(2015, 3, 14), "ar")


def test_a_file_in_a_wrong_encoding_is_refused_on_the_upload_page(client, auth, admin, school):
    response = upload(client, auth, school, "Фамилия,Имя\n".encode("utf-16"))
    assert response.status_code == 422
    assert WRONG_ENCODING in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(RosterUpload)) == 0


def test_the_upload_page_asks_for_a_school_and_a_file(client, auth, admin, school):
    response = client.post("/admin/import", data={"csrf_token": auth.csrf_token()})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose the school the roster is for." in html
    assert "Choose a file to upload." in html


def test_missing_columns_are_named_and_must_be_chosen(client, auth, admin, school):
    rows = [["Фамилия", "Имя", "Класс"], ["Абаев", "Нұрлан", "5А"]]
    response = upload(client, auth, school, csv_bytes(rows))
    message = (
        "Qadam could not find a column for: Date of birth and Sex. Choose a column for each "
        "below, or add them to the file and upload it again."
    )
    assert message in client.get(response.location).get_data(as_text=True)
    page, _upload_id, _args = preview(client, response)
    assert page.status_code == 422
    assert message in page.get_data(as_text=True)


def test_duplicate_rows_block_the_import_until_skipped(client, auth, admin, school):
    rows = [HEADER_RU, ROWS[0], ROWS[0], ROWS[1]]
    page, upload_id, args = preview(client, upload(client, auth, school, csv_bytes(rows)))
    html = page.get_data(as_text=True)
    assert "2 rows ready to import" in html
    assert "1 row with problems" in html
    assert "The same child is already in row 2 of the file." in html
    refused = do_import(client, auth, upload_id, args)
    assert refused.status_code == 422
    assert (
        "The file has problems. Correct them and upload the file again, or tick “Skip the rows "
        "with problems”." in refused.get_data(as_text=True)
    )
    assert children_count() == 0
    assert do_import(client, auth, upload_id, args, skip=True).status_code == 303
    assert children_count() == 2


def test_reimporting_the_same_file_creates_no_duplicates(client, auth, admin, school):
    content = csv_bytes([HEADER_RU, *ROWS])
    page, upload_id, args = preview(client, upload(client, auth, school, content))
    do_import(client, auth, upload_id, args)
    page, upload_id, args = preview(client, upload(client, auth, school, content))
    html = page.get_data(as_text=True)
    assert "0 rows ready to import" in html
    assert "Абаев Нұрлан, born Mar 14, 2015, is already in Qadam." in html
    refused = do_import(client, auth, upload_id, args, skip=True)
    assert refused.status_code == 422
    assert "There is nothing to import: every row has a problem." in refused.get_data(as_text=True)
    assert children_count() == 3


def test_an_import_failing_half_way_on_the_page_writes_nothing(
    client, auth, admin, school, monkeypatch
):
    rows = [[unique_name(i), "Нұрлан", "", "14.03.2015", "М", "5А"] for i in range(8)]
    _page, upload_id, args = preview(
        client, upload(client, auth, school, csv_bytes([HEADER_RU, *rows]))
    )
    fail_on_row_5(monkeypatch, InvalidInput("This class is archived; choose a current class."))
    response = do_import(client, auth, upload_id, args)
    assert response.status_code == 422
    assert "Nothing was imported: This class is archived; choose a current class." in (
        response.get_data(as_text=True)
    )
    assert children_count() == 0
    with db.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Enrolment)) == 0
        assert conn.scalar(select(func.count()).select_from(RosterUpload)) == 1


def test_a_ten_thousand_row_file_previews_and_imports(client, auth, admin, school):
    ChildFactory.create_batch(5)
    rows = [
        [unique_name(i), "Нұрлан", "", f"{1 + i % 28:02d}.{1 + i % 12:02d}.2015", "М", "5А"]
        for i in range(10_000)
    ]
    rows[9_999][3] = "32.13.2015"
    response = upload(client, auth, school, csv_bytes([HEADER_RU, *rows]))
    page, upload_id, args = preview(client, response)
    html = page.get_data(as_text=True)
    assert "9,999 rows ready to import" in html or "9999 rows ready to import" in html
    assert "“32.13.2015” is not a date. Write dates as DD.MM.YYYY." in html
    assert do_import(client, auth, upload_id, args, skip=True).status_code == 303
    assert children_count() == 9_999 + 5  # speed belongs in a benchmark, not in a test


def test_problems_are_listed_in_the_users_language(client, auth, school):
    auth.log_in_as(UserFactory(role=Role.ADMINISTRATOR, preferred_language="ru"))
    rows = [HEADER_RU, ["", "Нұрлан", "", "14.03.2015", "М", "5А"]]
    page, _upload_id, _args = preview(client, upload(client, auth, school, csv_bytes(rows)))
    assert "Не указана фамилия." in page.get_data(as_text=True)


def test_discarding_an_upload_forgets_the_file(client, auth, admin, school):
    response = upload(client, auth, school, csv_bytes([HEADER_RU, *ROWS]))
    upload_id = response.location.split("/")[3]
    done = client.post(f"/admin/import/{upload_id}/discard", data={"csrf_token": auth.csrf_token()})
    assert done.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(RosterUpload)) == 0


def test_another_administrator_cannot_open_an_upload(client, auth, admin, school):
    response = upload(client, auth, school, csv_bytes([HEADER_RU, *ROWS]))
    client.post("/logout", data={"csrf_token": auth.csrf_token()})
    auth.log_in_as(UserFactory(role=Role.ADMINISTRATOR))
    assert client.get(response.location).status_code == 404


def test_a_teacher_gets_404_on_every_import_url(client, auth, school):
    owner = UserFactory(role=Role.ADMINISTRATOR)
    stored = RosterUpload(
        uploaded_by_id=owner.id, filename="r.csv", content=csv_bytes([HEADER_RU, *ROWS])
    )
    db.session.add(stored)
    db.session.commit()
    auth.log_in_as(UserFactory(role=Role.TEACHER))
    token = auth.csrf_token()
    base = f"/admin/import/{stored.id}"
    query = {"school": str(school.id)}
    assert client.get("/admin/import").status_code == 404
    assert client.post("/admin/import", data={"csrf_token": token}).status_code == 404
    assert client.get(f"{base}/columns", query_string=query).status_code == 404
    assert client.get(f"{base}/preview", query_string=query).status_code == 404
    assert client.post(f"{base}/import", data={**query, "csrf_token": token}).status_code == 404
    assert client.post(f"{base}/discard", data={"csrf_token": token}).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(RosterUpload)) == 1


def test_import_writes_each_child_once(school):
    rows = [[unique_name(i), "Нұрлан", "", "14.03.2015", "М", "5А"] for i in range(20)]
    result = check_rows(school, rows)
    with count_queries() as queries:
        children = roster.import_rows(result.ready, on=TODAY)
    assert not [q for q in queries if q.lstrip().upper().startswith("UPDATE")]
    assert {child.version for child in children} == {1}


# -- files claiming more than a roster can be (issue 10, point 10) --

SHEET_PART = "xl/worksheets/sheet1.xml"
SHEET_XML = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "{dimension}<sheetData>{rows}</sheetData></worksheet>"
)
TOO_MANY_COLUMNS = (
    "The file has more than 50 columns. Keep only the columns to import and upload it again."
)
UNPACKS_TOO_LARGE = (
    "The workbook unpacks to far more than an import can hold. Save it again in Excel as an "
    "Excel workbook (.xlsx) or as “CSV UTF-8”, keeping only the table to import, and upload it "
    "again."
)


def sheet_row(number: int, cells: dict[str, str]) -> str:
    """<row> with inline strings, e.g. {"A": "Тегі", "XFD": "x"}."""
    xml = "".join(
        f'<c r="{column}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for column, value in cells.items()
    )
    return f'<row r="{number}">{xml}</row>'


def doctored_xlsx(rows: list[str], dimension: str | None = None) -> bytes:
    """A real workbook whose sheet is replaced: any rows, any declared <dimension>."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = SHEET_XML.format(dimension=declared, rows="".join(rows)).encode()
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["x"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            data = sheet if part.filename == SHEET_PART else source.read(part)
            target.writestr(part.filename, data)
    return out.getvalue()


ROSTER_ROWS = [
    sheet_row(1, dict(zip("ABCDEF", HEADER_RU, strict=True))),
    sheet_row(2, dict(zip("ABCDEF", ROWS[0], strict=True))),
]


@pytest.fixture
def cells_read(monkeypatch):
    """How many cells the workbook reader made; a runaway read stops instead of eating memory."""
    read = [0]
    original = ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            read[0] += len(row)
            if read[0] > 2_000_000:
                raise MemoryError("a runaway read")
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    return read


@pytest.fixture
def workbooks_opened(monkeypatch):
    opened = []
    original = openpyxl.load_workbook
    monkeypatch.setattr(
        roster_read.openpyxl,
        "load_workbook",
        lambda *args, **kwargs: opened.append(1) or original(*args, **kwargs),
    )
    return opened


def test_a_sheet_declared_up_to_column_xfd_is_refused_before_its_cells_are_read(
    client, auth, admin, school, cells_read
):
    rows = [*ROSTER_ROWS, sheet_row(1_048_576, {"A": "x"})]
    content = doctored_xlsx(rows, dimension="A1:XFD1048576")
    assert len(content) < 10_000
    response = upload(client, auth, school, content, "roster.xlsx")
    assert response.status_code == 422
    assert TOO_MANY_COLUMNS in response.get_data(as_text=True)
    assert cells_read == [0]
    assert db.session.scalar(select(func.count()).select_from(RosterUpload)) == 0


def test_a_sheet_declaring_a_million_rows_is_refused_before_its_cells_are_read(cells_read):
    content = doctored_xlsx([*ROSTER_ROWS, sheet_row(1_048_576, {"A": "x"})], "A1:F1048576")
    with pytest.raises(RosterFileError) as refused:
        roster.read_roster("r.xlsx", content)
    assert refused.value.message == (
        "The file has more than 20,000 rows. Split it into smaller files, "
        "for example one per grade."
    )
    assert cells_read == [0]


def test_a_sheet_that_declares_no_size_is_read_no_wider_or_longer_than_a_roster(cells_read):
    far = [sheet_row(3, {"XFD": "far right"}), sheet_row(1_048_576, {"XFD": "far down"})]
    table = roster.read_roster("r.xlsx", doctored_xlsx([*ROSTER_ROWS, *far]))
    assert table.header == HEADER_RU
    assert [number for number, _cells in table.rows] == [2]
    assert cells_read[0] <= (20_000 + 12) * 51


def test_a_sheet_with_a_value_past_the_fiftieth_column_is_refused():
    wide = sheet_row(2, {"A": "Абаев", "AY": "a 51st column"})
    with pytest.raises(RosterFileError) as refused:
        roster.read_roster("r.xlsx", doctored_xlsx([ROSTER_ROWS[0], wide]))
    assert refused.value.message == TOO_MANY_COLUMNS


def test_a_huge_cell_packed_small_is_refused_before_the_workbook_is_opened(
    client, auth, admin, school, workbooks_opened
):
    huge = sheet_row(2, {"A": "a" * 8_000_000})
    content = doctored_xlsx([ROSTER_ROWS[0], huge])
    assert len(content) < 50_000
    response = upload(client, auth, school, content, "roster.xlsx")
    assert response.status_code == 413
    assert UNPACKS_TOO_LARGE in response.get_data(as_text=True)
    assert workbooks_opened == []
    assert db.session.scalar(select(func.count()).select_from(RosterUpload)) == 0


def test_a_workbook_unpacking_past_the_limit_is_refused_before_it_is_opened(
    monkeypatch, workbooks_opened
):
    content = xlsx_bytes([HEADER_RU, *ROWS])
    unpacked = sum(part.file_size for part in zipfile.ZipFile(io.BytesIO(content)).infolist())
    monkeypatch.setattr(roster_limits, "MAX_UNPACKED", unpacked - 1)
    with pytest.raises(RosterFileError) as refused:
        roster.read_roster("r.xlsx", content)
    assert (refused.value.message, refused.value.status) == (UNPACKS_TOO_LARGE, 413)
    assert workbooks_opened == []


@pytest.mark.parametrize("filename", ["r.csv", "r.xlsx"])
def test_a_value_longer_than_a_roster_holds_is_refused_with_its_row(filename):
    rows = [HEADER_RU, ROWS[0], ["Абаев", "Н" * 1_001, "", "14.03.2015", "М", "5А"]]
    content = csv_bytes(rows) if filename == "r.csv" else xlsx_bytes(rows)
    with pytest.raises(RosterFileError) as refused:
        roster.read_roster(filename, content)
    assert refused.value.message == (
        "Row 3 holds a value longer than 1,000 characters. Check the file and upload it again."
    )


def test_a_csv_with_more_than_fifty_columns_is_refused(client, auth, admin, school):
    rows = [HEADER_RU + [f"Extra {i}" for i in range(45)], ROWS[0]]
    response = upload(client, auth, school, csv_bytes(rows))
    assert response.status_code == 422
    assert TOO_MANY_COLUMNS in response.get_data(as_text=True)


def test_a_roster_past_the_limits_is_refused_in_the_administrators_language(
    client, auth, admin, school, cells_read
):
    admin.preferred_language = "ru"
    db.session.commit()
    content = doctored_xlsx([*ROSTER_ROWS, sheet_row(1_048_576, {"A": "x"})], "A1:XFD1048576")
    response = upload(client, auth, school, content, "roster.xlsx")
    assert response.status_code == 422
    with force_locale("ru"):
        message = ngettext(
            "The file has more than %(limit)s column. Keep only the columns to import "
            "and upload it again.",
            "The file has more than %(limit)s columns. Keep only the columns to import "
            "and upload it again.",
            50,
            limit=50,
        )
    assert message != TOO_MANY_COLUMNS and "50" in message
    assert message in response.get_data(as_text=True)
    assert cells_read == [0]
