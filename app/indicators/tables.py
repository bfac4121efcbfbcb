"""The figures of a period and of the period before it, as the page's tables: each row a
label, the two values and the change, formatted for the reader's language."""

from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from babel.dates import format_skeleton
from babel.lists import format_list
from flask_babel import format_date, format_number, format_percent, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from app.attendance.overview import LOW_ATTENDANCE_RATE
from app.casework.models import PLACEMENT_LABELS, PlacementKind
from app.incidents.models import (
    KIND_LABELS,
    PLACE_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    Kind,
    Place,
    Severity,
)
from app.incidents.models import Status as IncidentStatus
from app.indicators import queries
from app.indicators.period import Period

COUNT, SHARE, DAYS = "count", "share", "days"


@dataclass(frozen=True)
class Row:
    label: str
    now: object  # None: no data
    before: object
    kind: str = COUNT
    compared: bool = True  # False: a figure of today, with no previous value
    # For the report upwards (app/indicators/upwards.py). Rows of one `group` are counts that
    # add up (each child or event in one of them); `total_of` names the groups this row is
    # the total of. A group with no total row is suppressed with its total all the same.
    group: str = ""
    total_of: tuple[str, ...] = ()
    # A share's or a median's counts, now and before: ((part, whole), (part, whole)), None
    # where it has none (the days of an attendance rate). Hidden upwards when either would be.
    base: tuple[tuple[int | None, int | None], tuple[int | None, int | None]] | None = None
    # Shares of one `group` have parts that add up to the part of the share naming the group
    # in its `total_of` (a term's children with all marks 5, all terms'): hidden upwards where
    # a hidden part could be worked out. `whole`: the label of the count row that is the
    # share's whole, hidden upwards when that count is.
    whole: str = ""


def formatted(kind: str, value: object) -> str:
    """A value in the reader's language: "no data" for none; "<5" and "…" as they are."""
    if value is None:
        return _("no data")
    if isinstance(value, str):
        return value
    if kind == SHARE:
        return format_percent(value, "#,##0.#%")
    return format_number(value)


def formatted_change(kind: str, difference: object) -> str:
    """A change between two values ("—" for none): a share's in percentage points."""
    if difference is None:
        return "—"
    if kind == SHARE:
        # TRANSLATORS: a change between two percentages, in percentage points.
        text = _("%(points)s pp", points=format_number(round(difference * 100, 1)))
    else:
        text = format_number(difference)
    return f"+{text}" if difference > 0 else text


BARS, WEEKS = "bars", "weeks"


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: a label, its value (a number) and the value as the table shows it."""

    label: str
    value: float
    shown: str
    low: bool = False  # a week below the attendance threshold


@dataclass(frozen=True)
class Chart:
    """A chart of this period's values of some of a table's rows (the table is its figures),
    drawn as SVG by indicators/_charts.html: horizontal bars, or a column a week."""

    kind: str  # BARS or WEEKS
    title: str
    description: str  # its text alternative
    bars: list[Bar]
    threshold: float | None = None  # WEEKS: the line drawn across (85 %)
    threshold_label: str = ""
    legend: tuple[str, ...] = ()  # WEEKS: the columns at or above the line, those below


@dataclass(frozen=True)
class Table:
    caption: str
    rows: list[Row]
    note: str = ""
    chart: Chart | None = None
    key: str = ""  # ASCII, stable: names the table in an export's address and file name (build)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def build(children: Select, period: Period, today: date, only: str | None = None) -> list[Table]:
    """Every table of the page, or the one whose key is `only` (none for an unknown key):
    the period's figures beside the previous period's. Only the tables built are queried."""
    before = period.previous()
    incidents = cache(lambda: [queries.incidents(children, p) for p in (period, before)])
    builders = {
        "followed": lambda: _followed(children, period, before),
        "attendance": lambda: _attendance(children, period, before),
        "attendance_by_week": lambda: _attendance_by_week(children, period),
        "results": lambda: _results(children, period, before),
        "language": lambda: _language_levels(children, period, before),
        "placements": lambda: _placements(children, period, before),
        "visits": lambda: _visits(children, period, before, today),
        "incidents": lambda: _incidents(*incidents()),
        "incident_categories": lambda: _incident_categories(*incidents()),
        "incident_places": lambda: _incident_places(*incidents()),
        "decisions": lambda: _decisions(children, period, before, today),
    }
    keys = builders if only is None else [key for key in builders if key == only]
    return [replace(builders[key](), key=key) for key in keys]


def nothing_recorded(tables: list[Table]) -> bool:
    """No figure of the period but zeros and "no data": nobody followed, nothing recorded."""
    return all(row.now in (0, None) for table in tables for row in table.rows if row.compared)


def _bars(title: str, rows: list[Row]) -> Chart | None:
    """A bar chart of the rows' values in this period (none when all are zero)."""
    if not any(row.now for row in rows):
        return None
    bars = [Bar(row.label, row.now or 0, formatted(row.kind, row.now)) for row in rows]
    figures = format_list(
        [_("%(label)s: %(figure)s", label=bar.label, figure=bar.shown) for bar in bars],
        locale=get_locale(),
    )
    # TRANSLATORS: the text alternative of a bar chart; figures: "label: number" items.
    description = _("Bar chart of this period: %(figures)s.", figures=figures)
    return Chart(BARS, title, description, bars)


def _followed(children, period, before) -> Table:
    now, then = (queries.children_followed(children, p) for p in (period, before))
    rows = [
        Row(_("Followed at the end of the period"), now["at_end"], then["at_end"]),
        Row(_("Newly followed in the period"), now["new"], then["new"]),
        Row(_("Follow-up ended in the period"), now["ended"], then["ended"]),
    ]
    return Table(_("Children followed"), rows)


def _attendance(children, period, before) -> Table:
    # The attendance domain's threshold, over the whole period rather than four weeks.
    low = format_percent(LOW_ATTENDANCE_RATE)
    now, then = (queries.attendance(children, p) for p in (period, before))
    rows = [
        Row(
            _("Attendance rate"),
            now["rate"],
            then["rate"],
            SHARE,
            base=((None, now["children"]), (None, then["children"])),
        ),
        Row(_("Children with attendance below %(rate)s", rate=low), now["low"], then["low"]),
    ]
    return Table(_("Attendance"), rows)


def _attendance_by_week(children, period) -> Table:
    weeks = queries.attendance_by_week(children, period)
    rows = [
        Row(
            # TRANSLATORS: a row of the weekly attendance table; day: the week's Monday.
            _("Week of %(day)s", day=format_date(week["week"], "medium")),
            week["rate"],
            None,
            SHARE,
            compared=False,
            base=((None, week["children"]), (None, None)),
        )
        for week in weeks
    ]
    note = _("Weeks begin on Monday; only weeks with marks are shown.")
    caption = _("Attendance rate by week")
    if not weeks:
        return Table(caption, rows, note)
    low = format_percent(LOW_ATTENDANCE_RATE)
    below = sum(week["rate"] < LOW_ATTENDANCE_RATE for week in weeks)
    description = ngettext(
        "Column chart, one column a week from %(first)s to %(last)s: the attendance rate was"
        " between %(lowest)s and %(highest)s; %(below)s of %(num)s week below %(rate)s.",
        "Column chart, one column a week from %(first)s to %(last)s: the attendance rate was"
        " between %(lowest)s and %(highest)s; %(below)s of %(num)s weeks below %(rate)s.",
        len(weeks),
        first=format_date(weeks[0]["week"], "medium"),
        last=format_date(weeks[-1]["week"], "medium"),
        lowest=format_percent(min(week["rate"] for week in weeks), "#,##0.#%"),
        highest=format_percent(max(week["rate"] for week in weeks), "#,##0.#%"),
        below=format_number(below),
        rate=low,
    )
    bars = [
        Bar(
            format_skeleton("MMMd", week["week"], locale=get_locale()),
            week["rate"],
            formatted(row.kind, row.now),
            week["rate"] < LOW_ATTENDANCE_RATE,
        )
        for week, row in zip(weeks, rows, strict=True)
    ]
    # TRANSLATORS: the line drawn across the weekly attendance chart; rate: 85 %.
    line = _("Threshold %(rate)s", rate=low)
    legend = (_("Weeks at or above %(rate)s", rate=low), _("Weeks below %(rate)s", rate=low))
    chart = Chart(WEEKS, caption, description, bars, LOW_ATTENDANCE_RATE, line, legend)
    return Table(caption, rows, note, chart)


def _results(children, period, before) -> Table:
    now, then = (queries.results(children, p) for p in (period, before))
    all_terms = _("Children with term marks (all terms)")
    rows = [
        Row(
            all_terms,
            _sum(now, "children"),
            _sum(then, "children"),
            total_of=("term:children",),
        )
    ]
    for key, label in RESULT_SHARES:
        shares = (_share(_sum(terms, key), _sum(terms, "children")) for terms in (now, then))
        base = tuple((_sum(terms, key), _sum(terms, "children")) for terms in (now, then))
        rows.append(
            Row(str(label), *shares, SHARE, total_of=(f"term:{key}",), base=base, whole=all_terms)
        )
    if len(now) > 1:  # each term's own figures, of this period only
        rows += [row for term in now for row in _term_results(term)]
    return Table(_("School results of the terms in the period"), rows)


def _term_results(term: dict) -> list[Row]:
    name = _("Term %(number)s, %(year)s", number=term["number"], year=term["year"])
    # TRANSLATORS: a row of one term's results, e.g. "Term 1, 2026-2027 — All marks 5".
    children = _("%(term)s — %(row)s", term=name, row=_("Children with term marks"))
    rows = [Row(children, term["children"], None, compared=False, group="term:children")]
    for key, label in RESULT_SHARES:
        rows.append(
            Row(
                _("%(term)s — %(row)s", term=name, row=label),
                _share(term[key], term["children"]),
                None,
                SHARE,
                compared=False,
                group=f"term:{key}",
                base=((term[key], term["children"]), (None, None)),
                whole=children,
            )
        )
    return rows


RESULT_SHARES = (
    ("all_fives", _l("All marks 5")),
    ("fours_and_fives", _l("All marks 4 or 5")),
    ("any_two", _l("At least one mark 2")),
)


def _sum(terms: list[dict], key: str) -> int:
    return sum(term[key] for term in terms)


def _language_levels(children, period, before) -> Table:
    now, then = (queries.language_levels(children, p) for p in (period, before))
    assessed = Row(
        _("Children assessed"), now["children"], then["children"], total_of=("level", "progress")
    )
    rows = [assessed]
    levels = [
        # TRANSLATORS: a language level from 1 (understands almost nothing) to 5.
        Row(
            _("Level %(level)s", level=level),
            now["by_level"][level],
            then["by_level"][level],
            group="level",
        )
        for level in queries.LEVELS
    ]
    rows += levels
    rows += [
        Row(_("Rose since their previous assessment"), now["rose"], then["rose"], group="progress"),
        Row(_("Stayed at the same level"), now["stayed"], then["stayed"], group="progress"),
        Row(_("Fell since their previous assessment"), now["fell"], then["fell"], group="progress"),
        Row(_("Assessed for the first time"), now["first"], then["first"], group="progress"),
    ]
    caption = _("Language level in the terms of the period")
    note = _(
        "Each child's latest level in the period, beside their previous assessed term; level 1:"
        " understands almost nothing, level 5: follows lessons without help."
    )
    chart = _bars(_("Children by language level"), levels)
    return Table(caption, rows, note, chart)


def _placements(children, period, before) -> Table:
    now, then = (queries.placements(children, p) for p in (period, before))
    kinds = [
        Row(
            str(PLACEMENT_LABELS[kind]),
            now["by_kind"][kind],
            then["by_kind"][kind],
            group="placement_kind",
        )
        for kind in PlacementKind
    ]
    rows = [
        *kinds,
        Row(_("Placements begun in the period"), now["begun"], then["begun"]),
        Row(_("Placements ended in the period"), now["ended"], then["ended"]),
    ]
    chart = _bars(_("Children by where they live at the end of the period"), kinds)
    caption = _("Placements at the end of the period, by kind")
    return Table(caption, rows, chart=chart)


def _visits(children, period, before, today) -> Table:
    done = [queries.visits_done(children, p) for p in (period, before)]
    planned = [queries.visits_due_in(children, p) for p in (period, before)]
    due = queries.visits_overdue(children, today)
    rows = [
        Row(_("Visits done in the period"), *done),
        Row(_("Visits due in the period"), *(p["due"] for p in planned)),
        Row(_("Of these, made by the end of the period"), *(p["done"] for p in planned)),
        Row(_("Current placements"), due["placements"], None, compared=False),
        Row(_("Placements with a visit overdue today"), due["overdue"], None, compared=False),
    ]
    return Table(_("Visits"), rows)


def _incidents(now, then) -> Table:
    total = Row(
        _("Incidents in the period"),
        now["total"],
        then["total"],
        total_of=("severity", "status"),
    )
    severities = [
        Row(
            _("Severity: %(severity)s", severity=SEVERITY_LABELS[severity]),
            now["by_severity"][severity],
            then["by_severity"][severity],
            group="severity",
        )
        for severity in Severity
    ]
    statuses = [
        Row(
            _("Status now: %(status)s", status=STATUS_LABELS[status]),
            now["by_status"][status],
            then["by_status"][status],
            group="status",
        )
        for status in IncidentStatus
    ]
    resolved = (
        now["by_status"][IncidentStatus.RESOLVED],
        then["by_status"][IncidentStatus.RESOLVED],
    )
    median = Row(
        _("Median days to resolution"),
        now["median_days"],
        then["median_days"],
        DAYS,
        base=((None, resolved[0]), (None, resolved[1])),
    )
    chart = _bars(_("Incidents by severity"), severities)
    rows = [total, *severities, *statuses, median]
    return Table(_("Incidents"), rows, chart=chart)


def _incident_categories(now, then) -> Table:
    # Not a group: an incident of two categories is counted in both (each row alone upwards).
    rows = [
        Row(str(KIND_LABELS[kind]), now["by_kind"][kind], then["by_kind"][kind]) for kind in Kind
    ]
    note = _(
        "An incident may be of several categories: these counts do not add up to the number of"
        " incidents."
    )
    chart = _bars(_("Incidents by category"), rows)
    return Table(_("Incidents by category"), rows, note, chart)


def _incident_places(now, then) -> Table:
    # One place an incident: a group whose total is the incidents' total (their table's).
    rows = [
        Row(
            str(PLACE_LABELS[place]),
            now["by_place"][place],
            then["by_place"][place],
            group="place",
        )
        for place in Place
    ]
    return Table(_("Incidents by place"), rows)


def _decisions(children, period, before, today) -> Table:
    now, then = (queries.decisions(children, p, today) for p in (period, before))
    rows = [
        Row(_("Decisions recorded"), now["decisions"], then["decisions"]),
        Row(_("Actions decided"), now["actions"], then["actions"]),
        Row(_("Actions done"), now["done"], then["done"]),
        Row(_("Actions overdue today"), now["overdue"], then["overdue"]),
    ]
    return Table(_("Committee decisions"), rows)
