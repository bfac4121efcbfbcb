"""The indicators' exports (issue 15, points 3, 4, 5 and 7): each table as CSV and XLSX and
the whole as a PDF, for the committee or reported upwards with small counts hidden; the list
of followed children only in an encrypted archive; every export recorded with its row count
and audited; committee members of the district only; bad requests refused, nothing recorded."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
import pyzipper
from openpyxl import load_workbook
from sqlalchemy import func, insert, select

from app.attendance.models import Status, Term
from app.auth.models import Role
from app.casework.models import PlacementKind
from app.children.models import Child, caseload
from app.core.audit import AuditEvent
from app.exports.models import Export
from app.extensions import db
from app.incidents.models import Incident, Involved, Kind, Place, Severity
from app.incidents.models import Status as IncidentStatus
from app.plans.models import LanguageLevel
from app.results.models import Subject, TermResult
from app.tasks.models import Task, TaskAssignee, TaskSource, TaskStatus
from tests.casework_factories import PlacementFactory
from tests.committee_helpers import (
    OTHER_DISTRICT,
    district_class,
    followed_child,
    member,
    worker,
)
from tests.conftest import count_queries
from tests.factories import (
    AttendanceMarkFactory,
    ChildBackgroundFactory,
    ChildFactory,
    SchoolClassFactory,
    TermFactory,
    UserFactory,
)
from tests.test_minutes import _words, pdftotext

NOVEMBER = {"period": "custom", "from": "2026-11-01", "to": "2026-11-30"}
PASSPHRASE = "correct horse battery staple"
BACKGROUND = "Lives with her grandmother and two brothers."
PLACEMENTS = "Placements at the end of the period, by kind"


def _placed(school_class, sw, kind: PlacementKind, number: int) -> list:
    children = []
    for _ in range(number):
        child = followed_child(school_class, sw, None)
        PlacementFactory(child_obj=child, worker=sw, kind=kind, starts_on=date(2026, 3, 2))
        children.append(child)
    return children


def _incident(child, by, severity: Severity) -> None:
    db.session.add(
        Incident(
            child_id=child.id, reported_by_id=by.id, occurred_on=date(2026, 11, 4),
            place=Place.CLASSROOM, involved=[Involved.PEERS], what_happened=[Kind.VERBAL],
            severity=severity, status=IncidentStatus.OPEN,
        )
    )  # fmt: skip


def _results(children, term, by, marks: list[int], code: str = "maths") -> None:
    subject = db.session.scalars(select(Subject).where(Subject.code == code)).first()
    subject = subject or Subject(
        code=code, grade_from=1, grade_to=11,
        name_en=code, name_kk=code, name_ru=code, name_ar=code,
    )  # fmt: skip
    db.session.add(subject)
    db.session.flush()
    for child, mark in zip(children, marks, strict=True):
        db.session.add(
            TermResult(
                child_id=child.id, subject_id=subject.id, term_id=term.id,
                class_id=child.class_id, mark=mark, recorded_by_id=by.id,
                recorded_at=datetime(2026, 11, 20, tzinfo=UTC),
            )
        )  # fmt: skip


@pytest.fixture
def small():
    """A known small district: 19 children placed since March, 10 with relatives, 3 with
    their mother, 6 in a foster family; 7 incidents in November (5 low, 2 medium); term
    marks for 3 children, one with a 5."""
    committee, sw = member(), worker()
    school_class = district_class()
    relatives = _placed(school_class, sw, PlacementKind.RELATIVES, 10)
    _placed(school_class, sw, PlacementKind.MOTHER, 3)
    _placed(school_class, sw, PlacementKind.FOSTER_FAMILY, 6)
    for severity in [Severity.LOW] * 5 + [Severity.MEDIUM] * 2:
        _incident(relatives[0], sw, severity)
    _results(relatives[:3], TermFactory(), sw, [5, 4, 3])
    db.session.commit()
    return committee


def _csv(response) -> list[dict]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def _by_label(rows: list[dict]) -> dict[str, dict]:
    return {row["Indicator"]: row for row in rows}


def _export(client, **query):
    return client.get("/indicators/export", query_string=NOVEMBER | query)


def _records() -> list[Export]:
    return list(db.session.scalars(select(Export)))


def test_a_table_downloads_as_csv_for_the_committee_with_exact_figures(client, auth, small):
    auth.log_in_as(small)
    response = _export(client, format="csv", table="placements")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="indicators-placements-2026-11-01-2026-11-30.csv"'
    )
    rows = _by_label(_csv(response))
    assert rows["With their mother"]["This period"] == "3"
    assert rows["Foster (patronat) family"]["This period"] == "6"
    assert rows["With relatives (kinship care)"]["Previous period"] == "10"
    assert rows["With their mother"]["District"] == "Сынақ ауданы"
    assert rows["With their mother"]["From"] == "2026-11-01"
    assert "Table" not in rows["With their mother"]  # one table: no column naming it


def test_all_tables_in_one_csv_each_row_naming_its_table(client, auth, small):
    auth.log_in_as(small)
    rows = _csv(_export(client, format="csv"))
    tables = {row["Table"] for row in rows}
    assert {"Children followed", "Attendance", PLACEMENTS, "Incidents"} <= tables
    share = _by_label(rows)["All marks 5"]
    assert (share["This period"], share["Unit"]) == ("33.3", "%")  # 1 of 3


def test_the_workbook_has_a_sheet_per_table_with_numbers_and_dates(client, auth, small):
    auth.log_in_as(small)
    response = _export(client, format="xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('-2026-11-30.xlsx"')
    book = load_workbook(io.BytesIO(response.data))
    assert "Attendance" in book.sheetnames and len(book.sheetnames) >= 7
    (name,) = [name for name in book.sheetnames if name.startswith("Placements at the end")]
    sheet = book[name]  # the caption cut to Excel's 31 characters
    header = [cell.value for cell in sheet[1]]
    values = {row[header.index("Indicator")]: row for row in sheet.iter_rows(2, values_only=True)}
    mother = values["With their mother"]
    assert mother[header.index("This period")] == 3
    assert mother[header.index("From")] == datetime(2026, 11, 1)  # a date cell, not text


def test_the_pdf_report_names_the_district_school_and_period(client, auth, small):
    auth.log_in_as(small)
    response = _export(client, format="pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="indicators-all-2026-11-01-2026-11-30.pdf"'
    )
    text = _pdf_text(response.data)
    assert "District indicators" in text and "Сынақ ауданы" in text
    assert "All schools of the district" in text and "November 1, 2026" in text
    assert "With their mother" in text


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_report_is_in_the_readers_language_right_to_left_in_arabic(client, auth, small):
    """Read back as test_minutes reads the Arabic minutes: in logical order by pdftotext, and
    word by word as the words lie on the page, where right to left puts a title's last word
    first and its first word at the right margin."""
    small.preferred_language = "ar"
    db.session.commit()
    auth.log_in_as(small)
    response = _export(client, format="pdf", table="placements")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    title = "مؤشرات المنطقة"  # "District indicators" in the catalog's Arabic
    assert title in " ".join(pdftotext(response.data).split())
    words = _words(response.data)
    on_the_page = " ".join(word for word, _x in words)
    assert " ".join(word[::-1] for word in reversed(title.split())) in on_the_page
    assert dict(words)[title.split()[0][::-1]] > 540  # at the right margin of A4's 595 points


# -- the report upwards (point 4)


def test_upwards_a_count_of_3_shows_under_5_and_its_groups_next_smallest_is_hidden(
    client, auth, small
):
    auth.log_in_as(small)
    response = _export(client, format="csv", table="placements", variant="upwards")
    assert response.headers["Content-Disposition"].endswith('-2026-11-30-upwards.csv"')
    rows = _by_label(_csv(response))
    assert rows["With their mother"]["This period"] == "<5"
    # Otherwise the mother's 3 would be 19 (all placements) less 10 and 6.
    assert rows["Foster (patronat) family"]["This period"] == "…"
    assert rows["With relatives (kinship care)"]["This period"] == "10"
    assert rows["Adoption"]["This period"] == "0"
    assert rows["With their mother"]["Previous period"] == "<5"


def test_upwards_totals_stay_consistent_with_their_hidden_parts(client, auth, small):
    auth.log_in_as(small)
    rows = _by_label(_csv(_export(client, format="csv", table="incidents", variant="upwards")))
    assert rows["Incidents in the period"]["This period"] == "7"  # the total is shown
    assert rows["Severity: Significant"]["This period"] == "<5"  # 2
    assert rows["Severity: Minor"]["This period"] == "…"  # 5, else 7 - 5 gives the 2
    assert rows["Severity: Serious"]["This period"] == "0"
    assert rows["Status now: Open"]["This period"] == "7"  # all open: nothing to hide
    # No change beside a hidden value; the shown total's change is given.
    assert rows["Severity: Minor"]["Change"] == "" and rows["Severity: Significant"]["Change"] == ""
    assert rows["Incidents in the period"]["Change"] == "7"


def test_upwards_a_share_based_on_3_children_is_hidden(client, auth, small):
    auth.log_in_as(small)
    rows = _by_label(_csv(_export(client, format="csv", table="results", variant="upwards")))
    assert rows["Children with term marks (all terms)"]["This period"] == "<5"
    for share in ("All marks 5", "All marks 4 or 5", "At least one mark 2"):
        assert rows[share]["This period"] == "…"
        assert rows[share]["Change"] == ""


def test_upwards_each_terms_shares_hide_a_small_part_and_what_would_give_it_away(
    client, auth, small
):
    """October and November. Term 1: 12 children, 10 with all marks 5, 2 with 4s. Term 2: 10
    children, 2 with all 5 (one of them already in the fixture), 8 with all 4 or 5, 1 with a 2.
    Term 2's 2 with all 5 is small, so term 1's 10 is hidden too, or all terms' 12 less 10
    would give it; all terms' share of 12 in 22 stays shown. One child with a 2 in all: that
    share is hidden, term 1's 0 % is shown."""
    children = db.session.scalars(select(Child).order_by(Child.id)).all()
    term_1 = TermFactory(number=1, starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 30))
    _results(children[:12], term_1, small, [5] * 10 + [4] * 2)
    term_2 = db.session.scalars(select(Term).where(Term.number == 2)).one()
    marked = set(db.session.scalars(select(TermResult.child_id).filter_by(term_id=term_2.id)))
    others = [child for child in children if child.id not in marked]
    _results(others[:7], term_2, small, [5, 4, 4, 4, 4, 4, 2])
    db.session.commit()
    auth.log_in_as(small)
    october = {"from": "2026-10-01"}
    exact = _by_label(_csv(_export(client, format="csv", table="results", **october)))
    figures = {label: row["This period"] for label, row in exact.items()}
    assert figures["Term 2, 2026-2027 — All marks 5"] == "20.0"
    assert figures["Term 1, 2026-2027 — All marks 5"] == "83.3"
    rows = _by_label(
        _csv(_export(client, format="csv", table="results", variant="upwards", **october))
    )
    shown = {label: row["This period"] for label, row in rows.items()}
    assert shown == {
        "Children with term marks (all terms)": "22",
        "All marks 5": "54.5",
        "All marks 4 or 5": "90.9",
        "At least one mark 2": "…",
        "Term 1, 2026-2027 — Children with term marks": "12",
        "Term 1, 2026-2027 — All marks 5": "…",
        "Term 1, 2026-2027 — All marks 4 or 5": "100.0",
        "Term 1, 2026-2027 — At least one mark 2": "0.0",
        "Term 2, 2026-2027 — Children with term marks": "10",
        "Term 2, 2026-2027 — All marks 5": "…",
        "Term 2, 2026-2027 — All marks 4 or 5": "80.0",
        "Term 2, 2026-2027 — At least one mark 2": "…",
    }


def test_upwards_a_terms_shares_are_hidden_with_its_count_of_children(client, auth, small):
    """Term 1: 12 children; term 2: the fixture's 3. The 3 is "<5", so the 12 is hidden too
    (all terms' 15 less 12 would give it), and with it term 1's shares, which rest on it."""
    children = db.session.scalars(select(Child).order_by(Child.id)).all()
    term_1 = TermFactory(number=1, starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 30))
    _results(children[:12], term_1, small, [5] * 6 + [4] * 6)
    db.session.commit()
    auth.log_in_as(small)
    query = {"format": "csv", "table": "results", "variant": "upwards", "from": "2026-10-01"}
    rows = _by_label(_csv(_export(client, **query)))
    shown = {label: row["This period"] for label, row in rows.items()}
    assert shown["Children with term marks (all terms)"] == "15"
    assert shown["Term 2, 2026-2027 — Children with term marks"] == "<5"
    assert shown["Term 1, 2026-2027 — Children with term marks"] == "…"
    assert shown["Term 1, 2026-2027 — All marks 4 or 5"] == "…"  # 100 % of a hidden count
    assert shown["Term 1, 2026-2027 — All marks 5"] == "…"


def test_upwards_workbook_and_report_hide_the_same_cells(client, auth, small):
    auth.log_in_as(small)
    response = _export(client, format="xlsx", table="placements", variant="upwards")
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in sheet[1]]
    values = {row[header.index("Indicator")]: row for row in sheet.iter_rows(2, values_only=True)}
    assert values["With their mother"][header.index("This period")] == "<5"
    assert values["Foster (patronat) family"][header.index("This period")] == "…"
    text = _pdf_text(_export(client, format="pdf", variant="upwards").data)
    assert "<5" in text and "Report upwards" in text
    assert "33.3%" not in text  # the share of 1 child in 3


def test_upwards_language_levels_hide_a_small_level_and_what_would_give_it_away(
    client, auth, small
):
    """7 children assessed this term: 2 at level 2, 5 at level 3. The 2 is "<5", and the 5 is
    hidden too, or 7 less 5 would give it; all 7 assessed for the first time stay shown."""
    term = db.session.scalars(select(Term)).one()
    children = db.session.scalars(select(Child).order_by(Child.id)).all()[:7]
    for child, level in zip(children, [2, 2, 3, 3, 3, 3, 3], strict=True):
        db.session.add(
            LanguageLevel(
                child_id=child.id, term_id=term.id, language="kk", level=level,
                recorded_by_id=small.id,
            )
        )  # fmt: skip
    db.session.commit()
    auth.log_in_as(small)
    exact = _by_label(_csv(_export(client, format="csv", table="language")))
    assert (exact["Level 2"]["This period"], exact["Level 3"]["This period"]) == ("2", "5")
    rows = _by_label(_csv(_export(client, format="csv", table="language", variant="upwards")))
    assert rows["Children assessed"]["This period"] == "7"
    assert rows["Level 2"]["This period"] == "<5"
    assert rows["Level 3"]["This period"] == "…"
    assert rows["Level 1"]["This period"] == "0"
    assert rows["Assessed for the first time"]["This period"] == "7"


def test_upwards_a_weeks_rate_is_hidden_when_fewer_than_5_children_were_marked(client, auth, small):
    """Monday 2 November: 6 children marked; Monday 9 November: 3 (the week's figure rests on
    them alone)."""
    children = db.session.scalars(select(Child).order_by(Child.id)).all()
    for day, marked in ((date(2026, 11, 2), children[:6]), (date(2026, 11, 9), children[:3])):
        for child in marked:
            AttendanceMarkFactory(child_obj=child, recorded_by=small, day=day)
    db.session.commit()
    auth.log_in_as(small)
    query = {"format": "csv", "table": "attendance_by_week"}
    exact = [row["This period"] for row in _csv(_export(client, **query))]
    assert exact == ["100.0", "100.0"]
    rows = [row["This period"] for row in _csv(_export(client, **query, variant="upwards"))]
    assert rows == ["100.0", "…"]


def test_one_tables_export_reads_only_that_tables_figures(client, auth, small):
    auth.log_in_as(small)
    with count_queries() as one:
        assert _export(client, format="csv", table="incidents").status_code == 200
    with count_queries() as every:
        assert _export(client, format="csv").status_code == 200
    read = " ".join(one).lower()
    assert "from incident" in read
    assert "attendance_mark" not in read and "term_result" not in read
    assert "attendance_mark" in " ".join(every).lower()


def test_the_committees_pdf_draws_the_charts_and_the_report_upwards_does_not(client, auth, small):
    auth.log_in_as(small)
    chart_title = "Children by where they live at the end of the period"
    assert chart_title in " ".join(_pdf_text(_export(client, format="pdf").data).split())
    upwards = _pdf_text(_export(client, format="pdf", variant="upwards").data)
    assert chart_title not in " ".join(upwards.split())


# -- every export recorded (point 3)


def test_a_download_writes_exactly_one_export_record_with_its_row_count(client, auth, small):
    auth.log_in_as(small)
    assert _export(client, format="csv", table="placements", variant="upwards").status_code == 200
    (record,) = _records()
    assert (record.kind, record.part, record.format, record.variant) == (
        "indicators", "placements", "csv", "upwards",
    )  # fmt: skip
    assert record.user_id == small.id and record.school_id is None
    assert (record.starts_on, record.ends_on) == (date(2026, 11, 1), date(2026, 11, 30))
    assert record.rows == 8  # six kinds, begun, ended
    audited = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export", AuditEvent.record_type == "export")
    ).all()
    assert [event.record_id for event in audited] == [str(record.id)]


def test_all_tables_record_every_row(client, auth, small):
    auth.log_in_as(small)
    rows = _csv(_export(client, format="csv"))
    (record,) = _records()
    assert record.rows == len(rows) and record.part is None


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ({"format": "doc"}, 400, "CSV, XLSX или PDF"),
        ({"format": "csv", "variant": "public"}, 400, "отчёт"),
        ({"format": "csv", "table": "secrets"}, 404, "нет"),
        ({"format": "csv", "from": "2026-12-01"}, 422, "Период должен"),
        ({"format": "csv", "school": "00000000-0000-0000-0000-000000000000"}, 404, "не относится"),
    ],
)
def test_a_bad_export_request_is_refused_in_the_readers_language_and_nothing_recorded(
    client, auth, query, status, words
):
    auth.log_in_as(member(lang="ru"))
    response = _export(client, **query)
    assert response.status_code == status
    assert words in response.get_data(as_text=True)
    assert _records() == []
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()


# -- who may (point 7)


@pytest.mark.parametrize("role", [Role.TEACHER, Role.SOCIAL_WORKER, Role.ADMINISTRATOR])
def test_no_one_but_the_committee_may_export(client, auth, role):
    auth.log_in_as(UserFactory(role=role, district="Сынақ ауданы"))
    assert _export(client, format="csv").status_code == 404
    response = client.post("/indicators/children", data=_list_form(auth))
    assert response.status_code == 404
    assert _records() == []


def test_a_member_with_no_district_gets_no_export(client, auth):
    auth.log_in_as(member(district=""))
    assert _export(client, format="csv").status_code == 404


def test_another_districts_school_cannot_be_exported(client, auth):
    other_school = district_class(OTHER_DISTRICT).school
    auth.log_in_as(member())
    assert _export(client, format="csv", school=str(other_school.id)).status_code == 404


# -- the list of followed children, encrypted (points 3 and 5)


def _list_form(auth, **fields) -> dict:
    return {
        "csrf_token": auth.csrf_token(),
        "passphrase": PASSPHRASE,
        "format": "csv",
        "period": "custom",
        "start": "2026-11-01",
        "end": "2026-11-30",
        "school": "",
    } | fields


@pytest.fixture
def listed():
    """Two followed children of the district (one with marks, a background and tasks), one
    not followed, and one followed in another district."""
    committee, sw = member(), worker()
    school_class = district_class()
    school_class.school.name = "=HYPERLINK(1)"  # a school name that looks like a formula
    anna = followed_child(school_class, sw)  # with relatives since March
    anna.family_name, anna.given_name, anna.patronymic = "Абаева", "Анна", None
    ChildBackgroundFactory(child_obj=anna, updated_by=sw)
    P, A = Status.PRESENT, Status.ABSENT
    for day, status in zip(range(2, 7), [P, P, P, P, A], strict=True):
        AttendanceMarkFactory(
            child_obj=anna, recorded_by=sw, day=date(2026, 11, day), status=status
        )
    q1 = TermFactory(number=1, starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 30))
    q2 = TermFactory()
    _results([anna], q1, sw, [2], "maths")  # an older term: not the latest
    for code, mark in (("reading", 5), ("science", 4), ("art", 3)):
        _results([anna], q2, sw, [mark], code)
    for status in (TaskStatus.OPEN, TaskStatus.BLOCKED, TaskStatus.DONE):
        db.session.add(
            Task(child_id=anna.id, source=TaskSource.VISIT, source_id=anna.id, what="Call",
                 assignee=TaskAssignee.SOCIAL_WORKER, status=status)
        )  # fmt: skip
    boris = followed_child(school_class, sw, None)
    boris.family_name, boris.given_name = "Борисов", "Борис"
    ChildFactory(school_class=school_class, family_name="Неследимый")  # not followed
    followed_child(district_class(OTHER_DISTRICT), sw).family_name = "Чужой"
    db.session.commit()
    return committee


def _opened(response, passphrase: str = PASSPHRASE) -> tuple[list[str], bytes]:
    with pyzipper.AESZipFile(io.BytesIO(response.data)) as archive:
        archive.setpassword(passphrase.encode())
        names = archive.namelist()
        return names, archive.read(names[0])


def test_the_list_opens_with_the_passphrase_only_and_holds_the_followed_children(
    client, auth, listed
):
    auth.log_in_as(listed)
    response = client.post("/indicators/children", data=_list_form(auth))
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="children-2026-11-01-2026-11-30.zip"'
    )
    assert b"\xd0\x90\xd0\xb1" not in response.data  # "Аб" of a name: nothing in the clear
    with pytest.raises(RuntimeError):
        _opened(response, "not the passphrase at all")
    names, content = _opened(response)
    assert names == ["children.csv"]
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [row["Family name"] for row in rows] == ["Абаева", "Борисов"]
    anna, boris = rows
    assert anna["School"] == "'=HYPERLINK(1)"  # formula-safe
    assert anna["Attendance over the period, %"] == "80.0" and anna["Days marked"] == "5"
    assert anna["Latest term with marks"] == "Term 2, 2026-2027"
    assert (anna["Subjects marked"], anna["Lowest mark"], anna["Mean mark"]) == ("3", "3", "4.0")
    assert anna["Lives now"] == "With relatives (kinship care)"
    assert anna["Open tasks"] == "2"  # open and blocked, not done
    assert boris["Attendance over the period, %"] == "" and boris["Lives now"] == ""
    assert boris["Open tasks"] == "0" and boris["Latest term with marks"] == ""
    assert BACKGROUND not in text and "Syria" not in text


def test_the_list_as_a_workbook_in_the_archive(client, auth, listed):
    auth.log_in_as(listed)
    response = client.post("/indicators/children", data=_list_form(auth, format="xlsx"))
    names, content = _opened(response)
    assert names == ["children.xlsx"]
    sheet = load_workbook(io.BytesIO(content)).active
    assert [row[0] for row in sheet.iter_rows(2, values_only=True)] == ["Абаева", "Борисов"]


def test_the_list_is_recorded_with_its_rows_and_each_child_audited(client, auth, listed):
    auth.log_in_as(listed)
    client.post("/indicators/children", data=_list_form(auth))
    (record,) = _records()
    assert (record.kind, record.format, record.variant, record.rows) == (
        "children", "csv", "committee", 2,
    )  # fmt: skip
    audited = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert sorted(event.record_type for event in audited) == ["child", "child", "export"]


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"passphrase": "short one"}, 422, "не короче 12"),
        ({"passphrase": "            x"}, 422, "не короче 12"),
        ({"format": "pdf"}, 400, "CSV или XLSX"),
        ({"end": "2026-10-01"}, 422, "Период должен"),
        ({"school": "not-a-school"}, 404, "не относится"),
    ],
)
def test_a_bad_list_request_is_refused_and_nothing_recorded(client, auth, fields, status, words):
    auth.log_in_as(member(lang="ru"))
    response = client.post("/indicators/children", data=_list_form(auth, **fields))
    assert response.status_code == status
    assert words in response.get_data(as_text=True)
    assert _records() == []
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()


def test_the_list_without_the_forms_token_is_refused(client, auth, listed):
    auth.log_in_as(listed)
    response = client.post("/indicators/children", data=_list_form(auth, csrf_token="forged"))
    assert response.status_code == 400
    assert _records() == []


def test_the_list_is_never_offered_in_an_address(client, auth, listed):
    auth.log_in_as(listed)
    assert client.get("/indicators/children").status_code == 405
    html = client.get("/indicators", query_string=NOVEMBER).get_data(as_text=True)
    form = html[html.index('action="/indicators/children"') - 40 :]
    assert 'method="post"' in form[:80] and 'type="password" name="passphrase"' in form


def _district_of(size: int) -> None:
    sw = worker()
    school_class = SchoolClassFactory(school=district_class().school)
    for _ in range(size):
        child = ChildFactory(school_class=school_class)
        db.session.execute(insert(caseload).values(user_id=sw.id, child_id=child.id))
        PlacementFactory(child_obj=child, worker=sw)
        AttendanceMarkFactory(child_obj=child, recorded_by=sw, day=date(2026, 11, 3))
    db.session.commit()


def test_the_list_costs_the_same_statements_for_3_children_as_for_30(client, auth):
    committee = member()
    auth.log_in_as(committee)
    _district_of(3)
    with count_queries() as few:
        assert client.post("/indicators/children", data=_list_form(auth)).status_code == 200
    _district_of(27)
    with count_queries() as many:
        assert client.post("/indicators/children", data=_list_form(auth)).status_code == 200
    assert len(few) == len(many)
    assert [record.rows for record in db.session.scalars(select(Export).order_by(Export.at))] == [
        3,
        30,
    ]
    assert db.session.scalar(select(func.count()).select_from(Export)) == 2


# -- the page (point 7 of the task: links and forms)


def test_the_page_offers_each_export_for_its_period_and_school(client, auth, small):
    auth.log_in_as(small)
    html = client.get("/indicators", query_string=NOVEMBER).get_data(as_text=True)
    assert 'action="/indicators/export"' in html
    assert '<input type="hidden" name="from" value="2026-11-01">' in html
    assert '<option value="placements">' in html
    assert 'name="variant" value="upwards"' in html
    assert '<input type="hidden" name="start" value="2026-11-01">' in html
