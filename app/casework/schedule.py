"""When a child's next follow-up visit is due: pure date arithmetic, no database."""

import calendar
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
