"""The one place that knows what day it is, so tests can move time."""

from datetime import date, datetime

from flask_babel import get_timezone


def now_local() -> datetime:
    return datetime.now(get_timezone())


def today() -> date:
    return now_local().date()
