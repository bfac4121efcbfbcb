"""When a child's next follow-up visit is due: pure date arithmetic, no database."""

import calendar
from dataclasses import dataclass
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where that day does not exist
    (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def next_visit_due(
    starts_on: date,
    monthly_months: int,
    then_every_months: int,
    last_visit_on: date | None = None,
    agreed_next_on: date | None = None,
) -> date:
    """The day the next visit is due in a placement that began on `starts_on`.

    A date agreed at the latest visit wins. Otherwise: a month after the latest visit while
    it fell in the first `monthly_months` months of the placement, `then_every_months` after
    it later on; with no visit yet, a month after the placement began.
    """
    if agreed_next_on is not None:
        return agreed_next_on
    if last_visit_on is None:
        return add_months(starts_on, 1)
    monthly_phase = last_visit_on < add_months(starts_on, monthly_months)
    return add_months(last_visit_on, 1 if monthly_phase else then_every_months)


@dataclass(frozen=True)
class PlannedVisit:
    """A visit the plan called for: done on `done_on` (late if after `due_on`), or not done."""

    due_on: date
    done_on: date | None
    # Not done, and the next visit of the plan is due too: the visit was missed. Not done
    # otherwise: it is overdue and may still be made.
    missed: bool = False

    @property
    def late(self) -> bool:
        return self.done_on is not None and self.done_on > self.due_on


def planned_visits(
    starts_on: date,
    monthly_months: int,
    then_every_months: int,
    visits: list[tuple[date, date | None]],
    until: date,
) -> list[PlannedVisit]:
    """The visits a placement's plan called for before `until`, each with the visit that met
    it. `visits`: (visited on, next visit agreed on) of the placement, in date order.

    A visit made before the next one falls due meets the one due (late if after its day); a
    visit due and not made by the time the next is due counts as missed, and the plan goes on
    from the day it was due.
    """
    planned: list[PlannedVisit] = []
    pending = list(visits)
    last: date | None = None
    agreed: date | None = None
    while True:
        due = next_visit_due(starts_on, monthly_months, then_every_months, last, agreed)
        if due >= until:
            return planned
        following = next_visit_due(starts_on, monthly_months, then_every_months, due)
        if pending and pending[0][0] < following:
            last, agreed = pending.pop(0)
            planned.append(PlannedVisit(due, last))
        elif following <= until:
            planned.append(PlannedVisit(due, None, missed=True))
            last, agreed = due, None
        else:
            planned.append(PlannedVisit(due, None))
            return planned
