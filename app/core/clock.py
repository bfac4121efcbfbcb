"""The one place that knows what day and time it is, so tests can move time."""

from datetime import UTC, date, datetime

from flask_babel import get_timezone


def now() -> datetime:
    """The current moment, in UTC."""
    return datetime.now(UTC)


def now_local() -> datetime:
    return datetime.now(get_timezone())


def today() -> date:
    return now_local().date()


def academic_year_of(day: date) -> str:
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


def academic_year_start(day: date) -> date:
    """1 August of the academic year holding `day` (the year turns over in August)."""
    return date(int(academic_year_of(day)[:4]), 8, 1)
