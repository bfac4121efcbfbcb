"""School days: weekdays inside a term (every weekday while no term is set up)."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from app.attendance.models import Term
from app.core.clock import academic_year_of, academic_year_start  # noqa: F401 - re-exported
from app.extensions import db


@dataclass(frozen=True)
class Calendar:
    terms: tuple[Term, ...]
    weekdays: frozenset[int]

    def is_school_day(self, day: date) -> bool:
        if day.weekday() not in self.weekdays:
            return False
        return not self.terms or any(t.starts_on <= day <= t.ends_on for t in self.terms)

    def school_days_back(self, today: date, count: int) -> list[date]:
        """The last `count` school days up to and including today, newest first."""
        days: list[date] = []
        day = today
        earliest = today - timedelta(days=366)
        while len(days) < count and day >= earliest:
            if self.is_school_day(day):
                days.append(day)
            day -= timedelta(days=1)
        return days

    def school_days_ahead(self, after: date, count: int) -> list[date]:
        """The next `count` school days after `after`, within the coming month."""
        days: list[date] = []
        day = after + timedelta(days=1)
        while len(days) < count and day <= after + timedelta(days=31):
            if self.is_school_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def latest_school_day(self, today: date) -> date | None:
        """Today if it is a school day, else the last one before it (None: none this year)."""
        recent = self.school_days_back(today, 1)
        return recent[0] if recent else None

    def term_for(self, day: date) -> tuple[date, date]:
        """The term holding `day`, else the last one before it; else the academic year so far."""
        started = [t for t in self.terms if t.starts_on <= day]
        if started:
            term = max(started, key=lambda t: t.starts_on)
            return term.starts_on, min(term.ends_on, day)
        year = day.year if day.month >= 9 else day.year - 1
        return date(year, 9, 1), day


def load_calendar() -> Calendar:
    terms = tuple(db.session.scalars(select(Term).order_by(Term.starts_on)))
    weekdays = frozenset(current_app.config["QADAM_SCHOOL_WEEKDAYS"])
    return Calendar(terms=terms, weekdays=weekdays)
