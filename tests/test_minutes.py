"""A meeting's minutes as a PDF (issue 14, point 6, and point 8 for its route): in the
meeting's language, Arabic shaped and laid out right to left; who was there and each child's
decision and actions, nothing of their background; committee members of the district only;
every download audited.

The text is read back with poppler's pdftotext (Debian's poppler-utils, which scripts/test
installs): unlike pdfminer.six, which gives Arabic in visual order (each line's letters
reversed), and pypdf, which reverses the digits of a date, it gives Arabic in logical order,
as typed. pypdf reads the fonts' glyph tables, to check the shaping. Without pdftotext the tests
that read the text are skipped, unless QADAM_REQUIRE_PDF=1 (CI) makes that an error."""

import os
import re
import shutil
import subprocess  # nosec B404 - pdftotext, a fixed command on bytes the test made
import uuid
from dataclasses import dataclass
from datetime import date
from io import BytesIO

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from pypdf import PdfReader
from sqlalchemy import select

from app.auth.models import Role
from app.committee import decisions
from app.committee.decisions import ActionInput, DecisionInput
from app.committee.models import ASSIGNEE_LABELS, OUTCOME_LABELS, Assignee, Meeting, Outcome
from app.core import clock
from app.core.audit import AuditEvent
from app.extensions import db
from tests.committee_helpers import (
    OTHER_DISTRICT,
    district_class,
    followed_child,
    meeting_on,
    member,
    worker,
)
from tests.conftest import TODAY, Auth, IsolatedClient
from tests.factories import ChildBackgroundFactory, UserFactory
from tests.tables import empty_tables

PDFTOTEXT = shutil.which("pdftotext")

BACKGROUND = "Бабушкасымен тұрады."
KAZAKH_LETTERS = "ӘҒҚҢӨҰҮҺІ әғқңөұүһі"
NOTE = f"Оқу үлгерімі жақсарды. Әріптер: {KAZAKH_LETTERS}."
# Marks a text extractor may add around a run of the other direction; not part of the text.
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass
class Minutes:
    pdf: dict[str, bytes]  # by language
    names: list[str]  # the children's names, in the agenda's order
    chair: str
    members: list[str]

    def text(self, lang: str) -> str:
        return pdftotext(self.pdf[lang])


def pdftotext(pdf: bytes, *options: str) -> str:
    if PDFTOTEXT is None and os.environ.get("QADAM_REQUIRE_PDF") != "1":
        pytest.skip("pdftotext is missing (sudo apt-get install poppler-utils)")
    # No shell; the tool's path and fixed options, on bytes the test made.
    done = subprocess.run(  # noqa: S603 # nosec B603
        [PDFTOTEXT, "-enc", "UTF-8", *options, "-", "-"], input=pdf, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    return BIDI_MARKS.sub("", done.stdout.decode("utf-8"))


def _meeting_with_decisions():
    """A meeting of three members (one the chair), two children on the agenda: the first's
    decision corrected once, with two actions; the second's with none."""
    chair = member(display_name="Сәуле Жақсыбекова")
    other = member(display_name="Ұлан Қоңыратбаев")
    social_worker = worker()
    school_class = district_class()
    school_class.letter, school_class.school.name = "А", "№7 мектеп"
    first = followed_child(school_class, social_worker)
    first.given_name, first.family_name = "Әлия", "Ғабитқызы"
    second = followed_child(school_class, social_worker)
    second.given_name, second.family_name = "Һашим", "Іскаков"
    ChildBackgroundFactory(child_obj=first, updated_by=social_worker, family_situation=BACKGROUND)
    meeting = meeting_on(date(2026, 11, 25), chair, [first, second])
    meeting.chair, meeting.members = chair, [chair, other]
    corrected = _decide(chair, meeting, first, "Алғашқы шешім.")
    _decide(chair, meeting, first, NOTE, corrects=corrected.id)
    _decide(chair, meeting, second, "")
    db.session.commit()
    return meeting, chair, [first, second], [chair, other]


def _decide(by, meeting, child, note: str, corrects=None):
    actions = [
        ActionInput("Психологпен кездесу ұйымдастыру", Assignee.SOCIAL_WORKER, "", TODAY),
        ActionInput("Тілдік қолдау", Assignee.OTHER_SERVICE, "Білім бөлімі", date(2027, 1, 15)),
    ]
    data = DecisionInput(
        uuid.uuid4(),
        Outcome.REFER if note else Outcome.CONTINUE,
        date(2027, 2, 18),
        service="psychologist" if note else None,
        note=note,
        actions=actions if note else [],
        corrects_id=corrects,
    )
    decision = decisions.record(by, meeting, child.id, data)
    db.session.flush()
    return decision


@pytest.fixture(scope="module")
def minutes(app) -> Minutes:
    """One PDF in each language, made once for the module's tests; the database is emptied
    before the first test starts."""
    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "today", lambda: TODAY)
        meeting, chair, children, members = _meeting_with_decisions()
        client = app.test_client()
        client.__class__ = IsolatedClient
        Auth(client).log_in_as(chair)
        pdf = {}
        for lang in ("kk", "ru", "ar"):
            db.session.get(Meeting, meeting.id).language = lang
            db.session.commit()
            response = client.get(f"/meetings/{meeting.id}/minutes.pdf")
            assert response.status_code == 200
            pdf[lang] = response.get_data()
        result = Minutes(
            pdf,
            [child.full_name for child in children],
            chair.display_name,
            [person.display_name for person in members],
        )
        db.session.rollback()
        db.session.remove()
        empty_tables()
    return result


def test_the_minutes_are_a_pdf_on_a4_with_numbered_pages(minutes):
    for lang, pdf in minutes.pdf.items():
        assert pdf.startswith(b"%PDF-"), lang
        reader = PdfReader(BytesIO(pdf))
        width, height = (float(value) for value in reader.pages[0].mediabox.upper_right)
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297), lang
    pages = len(PdfReader(BytesIO(minutes.pdf["ru"])).pages)
    assert f"Страница 1 из {pages}" in minutes.text("ru")
    assert f"Бет: 1 / {pages}" in minutes.text("kk")


def test_the_minutes_name_the_attendees_and_each_childs_decision_and_actions(minutes):
    text = " ".join(minutes.text("ru").split())
    assert "Протокол заседания комиссии от 25 ноября 2026 г." in text
    assert "Комиссия по делам несовершеннолетних и защите их прав: Сынақ ауданы" in text
    assert "Әкімдік, 3-кабинет" in text
    assert f"Председатель {minutes.chair}" in text
    assert f"Присутствующие члены {', '.join(sorted(minutes.members))}" in text
    first, second = (text.index(f". {name}") for name in minutes.names)
    assert first < second  # the agenda's order
    child_one = text[first:second]
    assert "Направить в службу: Психолог" in child_one
    assert NOTE in child_one and "Алғашқы шешім." not in child_one
    assert "Это решение исправляет решение, записанное" in child_one
    assert "Психологпен кездесу ұйымдастыру" in child_one
    assert "Социальный работник ребёнка" in child_one and "18 ноября 2026 г." in child_one
    assert "Другая служба: Білім бөлімі" in child_one and "15 января 2027 г." in child_one
    assert "Дата следующего рассмотрения 18 февраля 2027 г." in child_one
    child_two = text[second:]
    assert "Продолжить сопровождение по плану" in child_two
    assert "исправляет" not in child_two and "Психологпен" not in child_two


def test_kazakh_letters_survive(minutes):
    text = minutes.text("kk")
    for name in minutes.names + minutes.members:
        assert name in text
    assert NOTE in " ".join(text.split())
    assert "Кәмелетке толмағандардың істері" in text


def test_the_arabic_minutes_read_right_to_left_in_logical_order(minutes, app):
    """ "Right order" is the order of reading: the Arabic read back from the PDF is the
    catalog's Arabic as typed (logical order), and on the page it runs from right to left.

    Two readings show it. pdftotext's text orders each line by its bidi rules: the catalog's
    sentences come back whole, first letter first (pdfminer.six gives even correct Arabic
    reversed). Its word boxes (-bbox) list the words as they lie on the page, left to right,
    each word's letters in the same order: there a sentence's last word comes first and each
    word reads reversed, which holds only if WeasyPrint laid the Arabic out right to left; a
    name in Cyrillic or a class in the Arabic minutes lies the other way, as typed, and the
    first of a list is the rightmost. A label starts at the page's right margin (dir="rtl").
    The sentences compared hold no digits: pdftotext may move a space across the edge of a
    run of digits."""
    with app.test_request_context(), force_locale("ar"):
        expected = [
            _("Minutes of the meeting of %(date)s", date="").strip(),
            _("Members present"),
            _("Agenda"),
            str(OUTCOME_LABELS[Outcome.CONTINUE]),
            str(ASSIGNEE_LABELS[Assignee.SOCIAL_WORKER]),
            _("Chair's signature"),
        ]
    assert expected[1] == "الأعضاء الحاضرون"  # the catalog's Arabic, not the English source
    text = " ".join(minutes.text("ar").split())
    for sentence in [*expected, "Психологпен кездесу ұйымдастыру", NOTE]:
        assert sentence in text  # in logical order
    words = _words(minutes.pdf["ar"])
    on_the_page = " ".join(word for word, _x in words)  # left to right
    for sentence in expected:
        assert " ".join(word[::-1] for word in reversed(sentence.split())) in on_the_page
    assert "№7 мектеп , 5 А" in on_the_page  # "5 А, №7 мектеп" read from the right
    assert "Ұлан Қоңыратбаев , Сәуле Жақсыбекова" in on_the_page
    label = dict(words)[expected[1].split()[0][::-1]]  # the right edge of its first word
    assert label > 540  # A4 is 595 points wide, its margin 15 mm (42.5 points)


def _words(pdf: bytes) -> list[tuple[str, float]]:
    """Each word pdftotext finds, with the right edge of its box, as they lie on the page."""
    html = pdftotext(pdf, "-bbox")
    found = re.findall(
        r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', html
    )
    return [(word, float(x_max)) for x_max, word in found]


def test_the_arabic_letters_are_joined_as_arabic_is_written(minutes):
    """Shaping: a letter takes a different form at the start, in the middle and at the end
    of a word (ل in لجنة, اللجنة, and in a ligature with ا). Unshaped text would use one
    glyph per letter; shaped, the Arabic font holds several glyphs that all read back as the
    same letter."""
    forms = _glyphs_per_character(minutes.pdf["ar"], "Arabic")
    assert len(forms.get("ل", ())) >= 2 and len(forms.get("ج", ())) >= 2


def _glyphs_per_character(pdf: bytes, family: str) -> dict[str, set[str]]:
    """The glyphs each character is drawn with, in the fonts whose name holds `family`."""
    forms: dict[str, set[str]] = {}
    reader = PdfReader(BytesIO(pdf))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if family not in font["/BaseFont"]:
                continue
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            for glyph, text in _bfchars(cmap):
                forms.setdefault(text, set()).add(glyph)
    return forms


def _bfchars(cmap: str):
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for glyph, code in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            yield glyph, bytes.fromhex(code).decode("utf-16-be")


def test_the_minutes_hold_nothing_of_a_childs_background(minutes):
    for lang in minutes.pdf:
        text = minutes.text(lang)
        assert "Бабушкасымен" not in text and "Syria" not in text, lang


def test_a_download_is_audited_for_the_meeting_and_each_child_and_kept_nowhere(client, auth):
    committee = member()
    children = [followed_child(district_class(), worker()) for _ in range(2)]
    meeting = meeting_on(date(2026, 11, 25), committee, children)
    auth.log_in_as(committee)
    response = client.get(f"/meetings/{meeting.id}/minutes.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="minutes-2026-11-25.pdf"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    statement = select(AuditEvent.record_type, AuditEvent.record_id, AuditEvent.user_id)
    events = db.session.execute(statement.where(AuditEvent.action == "download_minutes")).all()
    assert sorted(events) == sorted(
        [("committee_meeting", str(meeting.id), committee.id)]
        + [("child", str(child.id), committee.id) for child in children]
    )


@pytest.mark.parametrize(
    "role", [Role.TEACHER, Role.SOCIAL_WORKER, Role.ADMINISTRATOR, Role.COMMITTEE_MEMBER]
)
def test_only_the_districts_committee_downloads_the_minutes(client, auth, role):
    """Anyone else, a member of another district's committee too, is answered 404."""
    meeting = meeting_on(date(2026, 11, 25), member(), [])
    district = OTHER_DISTRICT if role is Role.COMMITTEE_MEMBER else None
    auth.log_in_as(UserFactory(role=role, district=district))
    assert client.get(f"/meetings/{meeting.id}/minutes.pdf").status_code == 404
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "download_minutes")
    ).all()


def test_a_meetings_minutes_are_in_its_creators_language_and_can_be_changed(client, auth):
    committee = member(lang="ru")
    auth.log_in_as(committee)
    form = client.get("/meetings/new").get_data(as_text=True)
    assert re.search(r'<option selected value="ru">|<option value="ru" selected>', form)
    data = {"csrf_token": auth.csrf_token(), "held_on": "2026-11-25", "place": "Әкімдік"}
    assert client.post("/meetings/new", data=data).status_code == 303
    meeting = db.session.scalars(select(Meeting)).one()
    assert meeting.language == "ru"
    edit = {**data, "language": "ar"}
    assert client.post(f"/meetings/{meeting.id}/edit", data=edit).status_code == 303
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).language == "ar"
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f'href="/meetings/{meeting.id}/minutes.pdf"' in page and "العربية" in page
    refused = client.post(f"/meetings/{meeting.id}/edit", data={**data, "language": "en"})
    assert refused.status_code == 422
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).language == "ar"


def test_an_english_speaking_member_creates_minutes_in_kazakh(client, auth):
    auth.log_in_as(member(lang="en"))
    data = {"csrf_token": auth.csrf_token(), "held_on": "2026-11-25", "place": "Әкімдік"}
    assert client.post("/meetings/new", data=data).status_code == 303
    assert db.session.scalars(select(Meeting.language)).one() == "kk"
