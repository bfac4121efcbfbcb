"""The period the indicators cover, read from the address: this term, this academic year, or
two dates; and the period of the same length just before it."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from flask_babel import format_date
from flask_babel import gettext as _

from app.attendance.calendar import load_calendar
from app.core.clock import academic_year_start
from app.core.errors import InvalidInput


class Kind(StrEnum):
    TERM = "term"
    YEAR = "year"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    starts_on: date
    ends_on: date  # included

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def previous(self) -> "Period":
        """The period of the same length that ends the day before this one starts."""
        ends_on = self.starts_on - timedelta(days=1)
        return Period(ends_on - timedelta(days=self.days - 1), ends_on)


def chosen(kind: str | None, start: str | None, end: str | None, today: date) -> Period:
    """This term so far (the default), this academic year so far, or `start` to `end`."""
    if kind in (None, "", Kind.TERM):
        return Period(*load_calendar().term_for(today))
    if kind == Kind.YEAR:
        return Period(academic_year_start(today), today)
    if kind != Kind.CUSTOM:
        raise InvalidInput(_("Choose a term, an academic year or two dates."), status=400)
    period = Period(_day(start), _day(end))
    if period.ends_on < period.starts_on:
        raise InvalidInput(_("The period must end on or after the day it starts."))
    return period


# Dates outside these say nothing about Qadam's children (and keep the previous period's
# arithmetic far from the calendar's ends).
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def _day(raw: str | None) -> date:
    try:
        day = date.fromisoformat(raw or "")
    except ValueError:
        raise InvalidInput(
            _("Enter the dates as year-month-day, for example 2026-09-01.")
        ) from None
    if not EARLIEST <= day <= LATEST:
        raise InvalidInput(
            _(
                "Choose dates from %(earliest)s to %(latest)s: Qadam holds no figures from"
                " before 2000.",
                earliest=format_date(EARLIEST, "long"),
                latest=format_date(LATEST, "long"),
            )
        )
    return day
