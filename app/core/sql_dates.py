"""Date arithmetic in SQL, the same on SQLite and PostgreSQL, for lists whose dates are
computed and filtered in the database (the committee's due list)."""

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class add_months(FunctionElement):
    """The same day `months` later; the month's last day where that day does not exist
    (31 January + 1 month = 28 or 29 February), as app/casework/schedule.add_months."""

    type = Date()
    inherit_cache = True
    name = "add_months"


class day_of(FunctionElement):
    """The UTC day of a moment."""

    type = Date()
    inherit_cache = True
    name = "day_of"


@compiles(add_months, "postgresql")
def _add_months_postgresql(element, compiler, **kw):
    day, months = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(CAST({day} AS DATE) + make_interval(months => CAST({months} AS INTEGER)) AS DATE)"


@compiles(add_months, "sqlite")
def _add_months_sqlite(element, compiler, **kw):
    # SQLite's '+N months' overflows (31 January + 1 month = 3 March): where the day changed,
    # take the last day of the month wanted instead.
    day, months = (compiler.process(arg, **kw) for arg in element.clauses)
    plain = f"date({day}, '+' || ({months}) || ' months')"
    last = f"date({day}, 'start of month', '+' || (({months}) + 1) || ' months', '-1 day')"
    return (
        f"(CASE WHEN strftime('%d', {plain}) = strftime('%d', {day}) THEN {plain} ELSE {last} END)"
    )


@compiles(day_of, "postgresql")
def _day_of_postgresql(element, compiler, **kw):
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC' AS DATE)"


@compiles(day_of, "sqlite")
def _day_of_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)})"


class week_of(FunctionElement):
    """The Monday of a day's week."""

    type = Date()
    inherit_cache = True
    name = "week_of"


@compiles(week_of, "postgresql")
def _week_of_postgresql(element, compiler, **kw):
    # ISO weeks begin on Monday.
    day = compiler.process(element.clauses, **kw)
    return f"CAST(date_trunc('week', CAST({day} AS DATE)) AS DATE)"


@compiles(week_of, "sqlite")
def _week_of_sqlite(element, compiler, **kw):
    # 'weekday 0' is the Sunday that ends the week (the day itself on a Sunday).
    return f"date({compiler.process(element.clauses, **kw)}, 'weekday 0', '-6 days')"
