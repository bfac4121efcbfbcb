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
