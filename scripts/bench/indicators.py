"""Time the district indicators (issue 15, point 6) on a database, from inside the app: every
figure of app/indicators/queries.py and the whole page's tables (tables.build) for a committee
member's district, for this term, this academic year and a custom period of a year; the
median of a few runs after a warm one, with the SQL statements each ran, and the plans
(EXPLAIN (ANALYZE, BUFFERS)) of any figure slower than --explain-over. Not a test: a
measurement. Run by scripts/benchmark after it made the national district; by hand:

    python -m scripts.bench.indicators --database-url postgresql+psycopg://… \\
        [--email committee@bench.example] [--runs 5] [--explain-over 300]

Every public function of queries.py is timed (found there, so figures added later are timed
too), called with what its parameters name: children (the district's scope), period, today.
Nobody logs in: the scope is built for the member as the page builds it.
"""

import argparse
import inspect
import os
import secrets
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from time import perf_counter

from sqlalchemy import event, func, select

from scripts.bench.national import DOMAIN

NOT_FIGURES = {"scope"}  # public functions of queries.py that compute no figure


@dataclass
class Timing:
    name: str
    ms: dict[str, float] = field(default_factory=dict)  # by period
    statements: dict[str, int] = field(default_factory=dict)
    sent: dict[str, list] = field(default_factory=dict)  # (statement, parameters) by period


class Recorder:
    """The statements sent to the database while it listens."""

    def __init__(self, engine) -> None:
        self.engine, self.sent = engine, []

    def __enter__(self) -> list:
        self.sent = []
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self.sent

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, parameters, *_args) -> None:
        self.sent.append((statement, parameters))


def figures() -> dict[str, Callable]:
    """The figures of queries.py: its own public functions, in the order they are written."""
    from app.indicators import queries

    found = [
        (name, function)
        for name, function in inspect.getmembers(queries, inspect.isfunction)
        if function.__module__ == queries.__name__
        and not name.startswith("_")
        and name not in NOT_FIGURES
    ]
    found.sort(key=lambda item: inspect.getsourcelines(item[1])[1])
    return dict(found)


def arguments(function: Callable, given: dict) -> dict | None:
    """The arguments `function` asks for by name; None where one is not known here."""
    chosen = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if name in given:
            chosen[name] = given[name]
        elif parameter.default is inspect.Parameter.empty:
            return None
    return chosen


def timed(run: Callable, runs: int, session, recorder: Recorder) -> tuple[float, int, list]:
    """Median milliseconds of `runs` runs after a warm one, and the statements of one run."""
    run()
    session.rollback()
    with recorder as sent:
        run()
    session.rollback()
    times = []
    for _ in range(runs):
        started = perf_counter()
        run()
        times.append((perf_counter() - started) * 1000)
        session.rollback()
    return statistics.median(times), len(sent), list(sent)


def explain(session, sent: list) -> str:
    plans = []
    conn = session.connection()
    for statement, parameters in sent:
        rows = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters)
        plans.append(statement + "\n" + "\n".join(row[0] for row in rows))
    session.rollback()
    return "\n\n".join(plans)


def measure(email: str, runs: int, explain_over: float) -> None:
    from app.attendance.models import AttendanceMark
    from app.auth.models import User
    from app.core import clock
    from app.extensions import db
    from app.indicators import period as periods
    from app.indicators import queries, tables

    session = db.session
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        raise SystemExit(f"No user {email!r} in this database.")
    today = clock.today()
    children = queries.scope(user, None)
    chosen = {
        "term": periods.chosen(periods.Kind.TERM, None, None, today),
        "year": periods.chosen(periods.Kind.YEAR, None, None, today),
        "custom": periods.Period(today - timedelta(days=364), today),
    }
    in_scope = session.scalar(select(func.count()).select_from(children.subquery()))
    year = chosen["custom"]
    marks = session.scalar(
        select(func.count()).where(
            AttendanceMark.child_id.in_(children),
            AttendanceMark.day.between(year.starts_on, year.ends_on),
        )
    )
    session.rollback()
    print(f"# District indicators of {user.district!r} for {email}, {today}")
    print(f"children in scope {in_scope:,}; attendance marks in the last 365 days {marks:,}")
    for kind, period in chosen.items():
        print(
            f"{kind:<7} {period.starts_on} – {period.ends_on} (before it: "
            f"{period.previous().starts_on} – {period.previous().ends_on})"
        )
    recorder = Recorder(db.engine)
    rows: list[Timing] = []
    for name, function in figures().items():
        timing = Timing(name)
        for kind, period in chosen.items():
            given = {"children": children, "period": period, "today": today}
            args = arguments(function, given)
            if args is None:
                print(
                    f"{name}: skipped, its parameters are not known here: "
                    f"{list(inspect.signature(function).parameters)}"
                )
                break
            ms, count, sent = timed(lambda f=function, a=args: f(**a), runs, session, recorder)
            timing.ms[kind], timing.statements[kind], timing.sent[kind] = ms, count, sent
        rows.append(timing)
    for kind, period in chosen.items():
        timing = Timing(f"tables.build ({kind}, and the period before)")
        ms, count, sent = timed(
            lambda p=period: tables.build(children, p, today), runs, session, recorder
        )
        timing.ms = dict.fromkeys(chosen, None) | {kind: ms}
        timing.statements = {kind: count}
        rows.append(timing)
    _print_table(rows, list(chosen), runs)
    slow = [
        (timing, kind)
        for timing in rows[: -len(chosen)]
        for kind, ms in timing.ms.items()
        if ms is not None and ms > explain_over
    ]
    for timing, kind in slow:
        print(f"\n## {timing.name}, {kind}: {timing.ms[kind]:.0f} ms\n")
        print(explain(session, timing.sent[kind]))


def _print_table(rows: list[Timing], kinds: list[str], runs: int) -> None:
    print(f"\nmedian of {runs} warm runs, ms (statements)")
    width = max(len(timing.name) for timing in rows)
    print(f"{'figure':<{width}}  " + "  ".join(f"{kind:>14}" for kind in kinds))
    for timing in rows:
        cells = []
        for kind in kinds:
            ms = timing.ms.get(kind)
            cells.append(
                f"{ms:>9.1f} ({timing.statements[kind]})" if ms is not None else f"{'':>14}"
            )
        print(f"{timing.name:<{width}}  " + "  ".join(f"{cell:>14}" for cell in cells))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--email", default=f"committee@{DOMAIN}")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain-over", type=float, default=300.0, metavar="MS")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is needed")

    from app import create_app

    app = create_app(
        "production",
        {
            "SQLALCHEMY_DATABASE_URI": args.database_url,
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(32),
        },
    )
    with app.test_request_context():
        measure(args.email, args.runs, args.explain_over)


if __name__ == "__main__":
    main()
