"""What a roster's columns mean: Qadam's fields, their usual headers, and reading their values.

Schools' electronic journals (Kündelik, BilimClass …) export headers in Kazakh, Russian or
English and write values their own way ("5 А", "5-А"; "Ұ", "М", "male"; "14.03.2015"), so each
reader accepts the common forms and answers None for anything it cannot read.
"""

import re
from functools import cache

from babel import Locale
from flask_babel import lazy_gettext as _l

from app.uploads import fields as table_fields
from app.uploads.fields import Cell, Field, header_key, text

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


def guess_columns(header: list[str]) -> dict[str, int]:
    """The roster's fields whose column the header names."""
    return table_fields.guess_columns(header, FIELDS)


MALE = {"m", "м", "муж", "мужской", "male", "boy", "мальчик", "ұ", "ұл", "ер", "ер бала", "ұл бала"}
FEMALE = {"f", "ж", "жен", "женский", "female", "girl", "девочка", "қ", "қыз", "қыз бала", "әйел"}


def parse_sex(value: Cell) -> str | None:
    word = text(value).casefold().rstrip(".").strip()
    if word in MALE:
        return "M"
    if word in FEMALE:
        return "F"
    return None


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
