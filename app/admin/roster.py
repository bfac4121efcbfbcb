"""Roster import: keep the uploaded file, map its columns, check every row, import the clean ones.

No request objects here, and writes only flush(): the view commits once, so an import that
fails half-way writes nothing.
"""

import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from babel.lists import format_list
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.admin.roster_fields import (
    FIELD_KEYS,
    FIELDS,
    parse_languages,
    parse_sex,
    parse_yes_no,
)
from app.auth.models import User
from app.children import enrolment
from app.children.models import Child, School, SchoolClass
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.forms import date_out_of_range, is_plausible_date
from app.core.numbers import whole_number
from app.extensions import db
from app.i18n.transliteration import query_words
from app.uploads import services as uploads
from app.uploads.fields import Cell, class_letter, parse_class, parse_date, text
from app.uploads.models import Upload
from app.uploads.read import Table, read_table

NAME_LENGTH = 100
LANGUAGES_LENGTH = 64


# -- the upload, between its preview and its import --


def current_schools() -> list[School]:
    return list(
        db.session.scalars(select(School).where(School.archived_at.is_(None)).order_by(School.name))
    )


def read_roster(filename: str, content: bytes) -> Table:
    """The roster's rows; a file that cannot be read raises TableFileError."""
    return read_table(filename, content, FIELDS)


def store_upload(user: User, filename: str, content: bytes) -> tuple[Upload, Table]:
    """Keep a readable file for its preview; a file that cannot be read raises TableFileError."""
    table = read_roster(filename, content)
    return uploads.keep(user.id, filename, content), table


# -- columns --


def mapping_from(values: Mapping[str, str], table: Table) -> dict[str, int]:
    """Field key → column index, from the form's choices; ignores anything out of range."""
    mapping = {}
    for key in FIELD_KEYS:
        column = whole_number(values.get(key))
        if column is not None and column < len(table.header):
            mapping[key] = column
    return mapping


def missing_columns_message(mapping: Mapping[str, int]) -> str | None:
    missing = [str(f.label) for f in FIELDS if f.required and f.key not in mapping]
    if not missing:
        return None
    return _(
        "Qadam could not find a column for: %(fields)s. Choose a column for each below, "
        "or add them to the file and upload it again.",
        fields=format_list(missing, locale=get_locale() or "en"),
    )


# -- checking the rows --


@dataclass
class Problem:
    row: int
    name: str
    message: str


@dataclass
class Candidate:
    """A row that can become a child."""

    row: int
    family_name: str
    given_name: str
    patronymic: str | None
    birth_date: date
    sex: str
    school_class: SchoolClass
    home_languages: list[str]
    needs_language_support: bool


@dataclass
class Check:
    ready: list[Candidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def rows_with_problems(self) -> int:
        return len({problem.row for problem in self.problems})


class Roll:
    """What a row is checked against, each loaded once for the whole file."""

    def __init__(self, school: School):
        self.school = school
        self.classes = current_classes(school)
        self.existing = existing_children()
        self.seen: dict[tuple[date, str], int] = {}


def current_classes(school: School) -> dict[tuple[int, str], SchoolClass]:
    """(grade, letter) → the school's current class; the latest year wins if two are open."""
    classes = db.session.scalars(
        select(SchoolClass)
        .where(SchoolClass.school_id == school.id, SchoolClass.archived_at.is_(None))
        .order_by(SchoolClass.academic_year)
    )
    return {(c.grade, class_letter(c.letter)): c for c in classes}


def existing_children() -> dict[date, list[tuple[str, str]]]:
    """Birth date → (search key, full name) of every child on the roll, in one query."""
    by_birth_date: dict[date, list[tuple[str, str]]] = defaultdict(list)
    rows = db.session.execute(
        select(Child.birth_date, Child.search_key, Child.family_name, Child.given_name)
    )
    for birth_date, key, family_name, given_name in rows:
        by_birth_date[birth_date].append((key, f"{family_name} {given_name}"))
    return by_birth_date


def check(table: Table, mapping: Mapping[str, int], school: School, today: date) -> Check:
    roll = Roll(school)
    result = Check()
    for number, cells in table.rows:
        values = {key: cells[index] for key, index in mapping.items()}
        candidate, problems = check_row(number, values, roll, today)
        if problems:
            name = " ".join(text(values.get(k)) for k in ("family_name", "given_name")).strip()
            result.problems += [Problem(number, name, message) for message in problems]
        else:
            result.ready.append(candidate)
    return result


def check_row(
    number: int, values: dict[str, Cell | None], roll: Roll, today: date
) -> tuple[Candidate | None, list[str]]:
    problems: list[str] = []
    family_name = _name(values.get("family_name"), _("The family name is missing."), problems)
    given_name = _name(values.get("given_name"), _("The given name is missing."), problems)
    patronymic = _name(values.get("patronymic"), None, problems) or None
    birth_date = _birth_date(values.get("birth_date"), today, problems)
    sex = _sex(values.get("sex"), problems)
    school_class = _class(values.get("class_name"), roll, problems)
    languages = _languages(values.get("home_languages"), problems)
    support = _support(values.get("needs_language_support"), problems)
    if family_name and given_name and birth_date:
        _already_known(number, family_name, given_name, birth_date, roll, problems)
    if problems:
        return None, problems
    candidate = Candidate(
        number,
        family_name,
        given_name,
        patronymic,
        birth_date,
        sex,
        school_class,
        languages,
        support,
    )
    return candidate, []


def _name(value: Cell | None, missing: str | None, problems: list[str]) -> str:
    name = " ".join(text(value).split())
    if not name and missing:
        problems.append(missing)
    if len(name) > NAME_LENGTH:
        problems.append(too_long(name, NAME_LENGTH))
        return ""
    return name


def too_long(value: str, limit: int) -> str:
    return _("“%(value)s” is too long (at most %(max)d characters).", value=value, max=limit)


def _birth_date(value: Cell | None, today: date, problems: list[str]) -> date | None:
    if not text(value):
        problems.append(_("The date of birth is missing."))
        return None
    birth_date = parse_date(value)
    if birth_date is None:
        # Translators: keep the date pattern in the form people write dates in your language.
        problems.append(
            _("“%(value)s” is not a date. Write dates as DD.MM.YYYY.", value=text(value))
        )
    elif birth_date > today:
        problems.append(
            _("The date of birth %(date)s is in the future.", date=format_date(birth_date))
        )
        return None
    elif not is_plausible_date(birth_date):
        problems.append(date_out_of_range())
        return None
    return birth_date


def _sex(value: Cell | None, problems: list[str]) -> str | None:
    if not text(value):
        problems.append(_("The sex is missing."))
        return None
    sex = parse_sex(value)
    if sex is None:
        # Translators: the letters are those schools write in your language (М/Ж, Ұ/Қ).
        problems.append(_("“%(value)s” is not a sex Qadam knows. Write M or F.", value=text(value)))
    return sex


def _class(value: Cell | None, roll: Roll, problems: list[str]) -> SchoolClass | None:
    if not text(value):
        problems.append(_("The class is missing."))
        return None
    grade_letter = parse_class(value)
    school_class = roll.classes.get(grade_letter) if grade_letter else None
    if school_class is None:
        problems.append(
            _(
                "There is no current class “%(class_name)s” at %(school)s.",
                class_name=text(value),
                school=roll.school.name,
            )
        )
    return school_class


def _languages(value: Cell | None, problems: list[str]) -> list[str]:
    codes = parse_languages(value)
    if codes is None:
        problems.append(_("“%(value)s” is not a language Qadam knows.", value=text(value)))
        return []
    if len(",".join(codes)) > LANGUAGES_LENGTH:
        problems.append(too_long(text(value), LANGUAGES_LENGTH))
    return codes


def _support(value: Cell | None, problems: list[str]) -> bool:
    support = parse_yes_no(value)
    if support is None:
        # Translators: about the "Needs language support" column.
        problems.append(_("“%(value)s” is not yes or no.", value=text(value)))
    return bool(support)


def _already_known(
    number: int,
    family_name: str,
    given_name: str,
    birth_date: date,
    roll: Roll,
    problems: list[str],
) -> None:
    """The child on the roll (as find_existing finds them) or earlier in the file."""
    words = query_words(f"{family_name} {given_name}")
    for key, name in roll.existing.get(birth_date, ()):
        if all(word in key for word in words):
            problems.append(
                _(
                    "%(name)s, born %(date)s, is already in Qadam.",
                    name=name,
                    date=format_date(birth_date),
                )
            )
            return
    first = roll.seen.setdefault((birth_date, " ".join(words)), number)
    if first != number:
        problems.append(_("The same child is already in row %(row)d of the file.", row=first))


# -- importing --


def import_rows(ready: list[Candidate], on: date) -> list[Child]:
    """Create each child and enrol them from `on`; flushes only, so a failure writes nothing."""
    children = [_new_child(candidate) for candidate in ready]
    db.session.add_all(children)
    db.session.flush()
    enrolment.enrol_new(
        [(child, c.school_class) for child, c in zip(children, ready, strict=True)], on=on
    )
    for child in children:
        audit("create", "child", child.id)
    db.session.flush()
    return children


def _new_child(candidate: Candidate) -> Child:
    return Child(
        id=uuid.uuid4(),
        family_name=candidate.family_name,
        given_name=candidate.given_name,
        patronymic=candidate.patronymic,
        birth_date=candidate.birth_date,
        sex=candidate.sex,
        class_id=candidate.school_class.id,
        home_languages=",".join(candidate.home_languages),
        needs_language_support=candidate.needs_language_support,
    )


def nothing_to_import() -> InvalidInput:
    return InvalidInput(_("There is nothing to import: every row has a problem."))
