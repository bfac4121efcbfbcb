"""What a roster's columns mean: Qadam's fields, their usual headers, and reading their values.

Schools' electronic journals (Kündelik, BilimClass …) export headers in Kazakh, Russian or
English and write values their own way ("5 А", "5-А"; "Ұ", "М", "male"; "14.03.2015"), so each
reader accepts the common forms and answers None for anything it cannot read.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from babel import Locale
from flask_babel import lazy_gettext as _l
from openpyxl.utils.datetime import from_excel

from app.i18n.transliteration import fold

Cell = str | int | float | date | datetime


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    required: bool
    headers: tuple[str, ...]  # as people write them; compared folded


FIELDS = (
    Field(
        "family_name",
        _l("Family name"),
        True,
        ("Тегі", "Фамилия", "Family name", "Surname", "Last name"),
    ),
    Field(
        "given_name",
        _l("Given name"),
        True,
        ("Аты", "Имя", "Given name", "First name", "Name"),
    ),
    Field(
        "patronymic",
        _l("Patronymic"),
        False,
        ("Әкесінің аты", "Отчество", "Patronymic", "Middle name"),
    ),
    Field(
        "birth_date",
        _l("Date of birth"),
        True,
        ("Туған күні", "Туылған күні", "Дата рождения", "Birth date", "Date of birth", "DOB"),
    ),
    Field("sex", _l("Sex"), True, ("Жынысы", "Пол", "Sex", "Gender")),
    Field("class_name", _l("Class"), True, ("Сынып", "Класс", "Class", "Grade", "Form")),
    Field(
        "home_languages",
        _l("Home languages"),
        False,
        (
            "Үйде сөйлейтін тілі",
            "Үйдегі тілі",
            "Ана тілі",
            "Родной язык",
            "Язык дома",
            "Домашний язык",
            "Home languages",
            "Home language",
        ),
    ),
    Field(
        "needs_language_support",
        _l("Needs language support"),
        False,
        ("Тілдік қолдау", "Языковая поддержка", "Needs language support", "Language support"),
    ),
)
FIELD_KEYS = tuple(field.key for field in FIELDS)


def header_key(header: str) -> str:
    return fold(header)


def guess_columns(header: list[str]) -> dict[str, int]:
    """Field key → column index, for the headers that name a field (exactly, then by prefix)."""
    folded = [header_key(name) for name in header]
    guessed: dict[str, int] = {}
    for exact in (True, False):
        for field in FIELDS:
            if field.key in guessed:
                continue
            for index, name in enumerate(folded):
                if index not in guessed.values() and _names(name, field, exact):
                    guessed[field.key] = index
                    break
    return guessed


def _names(name: str, field: Field, exact: bool) -> bool:
    for synonym in map(header_key, field.headers):
        if name == synonym or (not exact and name.startswith(synonym + " ")):
            return True
    return False


def text(value: Cell | None) -> str:
    """A cell as the person sees it in their spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y")


def parse_date(value: Cell) -> date | None:
    """DD.MM.YYYY, YYYY-MM-DD, a date cell, or an Excel serial day number."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        return _excel_day(float(value))
    raw = value.strip().split(" ")[0]  # "14.03.2015 0:00:00" from some exports
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    return None


def _excel_day(serial: float) -> date | None:
    if not 1 <= serial < 100_000:
        return None
    return from_excel(serial).date()


MALE = {"m", "м", "муж", "мужской", "male", "boy", "мальчик", "ұ", "ұл", "ер", "ер бала", "ұл бала"}
FEMALE = {"f", "ж", "жен", "женский", "female", "girl", "девочка", "қ", "қыз", "қыз бала", "әйел"}


def parse_sex(value: Cell) -> str | None:
    word = text(value).casefold().rstrip(".").strip()
    if word in MALE:
        return "M"
    if word in FEMALE:
        return "F"
    return None


# Latin capitals that look like Cyrillic ones: "5A" typed on an English keyboard is "5А".
LOOKALIKES = str.maketrans("ABCEHKMOPTX", "АВСЕНКМОРТХ")
CLASS_PATTERN = re.compile(r"^(\d{1,2})\s*[-–—./\s]?\s*[«\"'“]?\s*(\w*)\s*[»\"'”]?$")
CLASS_WORDS = re.compile(r"\s*(класс|сынып|class|grade)\s*", re.IGNORECASE)


def parse_class(value: Cell) -> tuple[int, str] | None:
    """(grade, letter) from "5А", "5 А", "5-А", "5 «А» класс"."""
    match = CLASS_PATTERN.match(CLASS_WORDS.sub(" ", text(value)).strip())
    if not match:
        return None
    return int(match.group(1)), class_letter(match.group(2))


def class_letter(letter: str) -> str:
    return letter.strip().upper().translate(LOOKALIKES)


def parse_languages(value: Cell) -> list[str] | None:
    """Language codes from "kk, ru", "қазақ тілі; орыс тілі", "арабский", "Arabic"."""
    names = [part for part in re.split(r"[,;/]+", text(value)) if part.strip()]
    codes = [language_codes().get(header_key(name)) for name in names]
    if None in codes:
        return None
    return list(dict.fromkeys(codes))


@cache
def language_codes() -> dict[str, str]:
    """Folded language name or code (in kk, ru and en) → code, from Babel's locale data."""
    codes: dict[str, str] = {}
    for lang in ("en", "ru", "kk"):
        for code, name in Locale.parse(lang).languages.items():
            if "_" in code or len(code) != 2:
                continue
            for spelling in (code, name, re.sub(r"\s*(тілі|язык)$", "", name)):
                codes.setdefault(header_key(spelling), code)
    return codes


YES = {"1", "+", "x", "х", "yes", "y", "true", "да", "иә", "ия", "бар", "✓"}
NO = {"0", "-", "no", "n", "false", "нет", "жоқ", ""}


def parse_yes_no(value: Cell) -> bool | None:
    word = text(value).casefold().rstrip(".")
    if word in YES:
        return True
    if word in NO:
        return False
    return None
