"""Reading a table file's columns: what a column means (its usual headers, compared folded)
and the values schools' electronic journals write (dates, classes), each reader answering None
for anything it cannot read. The roster import (app/admin) and the e-journal import
(app/results) name their own fields.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl.utils.datetime import from_excel

from app.i18n.transliteration import fold

Cell = str | int | float | date | datetime


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    required: bool
    headers: tuple[str, ...]  # as people write them; compared folded


def header_key(header: str) -> str:
    return fold(header)


def guess_columns(header: list[str], fields: tuple[Field, ...]) -> dict[str, int]:
    """Field key → column index, for the headers that name a field (exactly, then by prefix)."""
    folded = [header_key(name) for name in header]
    guessed: dict[str, int] = {}
    for exact in (True, False):
        for field in fields:
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
