"""The figures of a period and of the period before it, as the page's tables: each row a
label, the two values and the change, formatted for the reader's language."""

from dataclasses import dataclass
from datetime import date

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

    def shown(self, value: object) -> str:
        if value is None:
            return _("no data")
        if self.kind == SHARE:
            return format_percent(value, "#,##0.#%")
        return format_number(value)

    @property
    def change(self) -> str:
        if not self.compared or self.now is None or self.before is None:
            return "—"
        difference = self.now - self.before
        if self.kind == SHARE:
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


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def build(children: Select, period: Period, today: date) -> list[Table]:
    """Every table of the page: the period's figures beside the previous period's."""
    before = period.previous()
    incidents = [queries.incidents(children, p) for p in (period, before)]
    return [
        _followed(children, period, before),
        _attendance(children, period, before),
        _attendance_by_week(children, period),
        _results(children, period, before),
        _language_levels(children, period, before),
        _placements(children, period, before),
        _visits(children, period, before, today),
        _incidents(*incidents),
        _incident_categories(*incidents),
        _incident_places(*incidents),
        _decisions(children, period, before, today),
    ]


def nothing_recorded(tables: list[Table]) -> bool:
    """No figure of the period but zeros and "no data": nobody followed, nothing recorded."""
    return all(row.now in (0, None) for table in tables for row in table.rows if row.compared)


def _bars(title: str, rows: list[Row]) -> Chart | None:
    """A bar chart of the rows' values in this period (none when all are zero)."""
    if not any(row.now for row in rows):
        return None
    bars = [Bar(row.label, row.now or 0, row.shown(row.now)) for row in rows]
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
        Row(_("Attendance rate"), now["rate"], then["rate"], SHARE),
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
            row.shown(row.now),
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
    rows = [
        Row(
            _("Children with term marks (all terms)"), _sum(now, "children"), _sum(then, "children")
        )
    ]
    for key, label in RESULT_SHARES:
        shares = (_share(_sum(terms, key), _sum(terms, "children")) for terms in (now, then))
        rows.append(Row(str(label), *shares, SHARE))
    return Table(_("School results of the terms in the period"), rows)


RESULT_SHARES = (
    ("all_fives", _l("All marks 5")),
    ("fours_and_fives", _l("All marks 4 or 5")),
    ("any_two", _l("At least one mark 2")),
)


def _sum(terms: list[dict], key: str) -> int:
    return sum(term[key] for term in terms)


def _language_levels(children, period, before) -> Table:
    now, then = (queries.language_levels(children, p) for p in (period, before))
    rows = [Row(_("Children assessed"), now["children"], then["children"])]
    levels = [
        # TRANSLATORS: a language level from 1 (understands almost nothing) to 5.
        Row(_("Level %(level)s", level=level), now["by_level"][level], then["by_level"][level])
        for level in queries.LEVELS
    ]
    rows += levels
    rows += [
        Row(_("Rose since their previous assessment"), now["rose"], then["rose"]),
        Row(_("Stayed at the same level"), now["stayed"], then["stayed"]),
        Row(_("Fell since their previous assessment"), now["fell"], then["fell"]),
        Row(_("Assessed for the first time"), now["first"], then["first"]),
    ]
    caption = _("Language level in the terms of the period")
    note = _(
        "Each child's latest level in the period, beside their previous assessed term; level 1:"
        " understands almost nothing, level 5: follows lessons without help."
    )
    return Table(caption, rows, note, _bars(_("Children by language level"), levels))


def _placements(children, period, before) -> Table:
    now, then = (queries.placements(children, p) for p in (period, before))
    kinds = [
        Row(str(PLACEMENT_LABELS[kind]), now["by_kind"][kind], then["by_kind"][kind])
        for kind in PlacementKind
    ]
    rows = [
        *kinds,
        Row(_("Placements begun in the period"), now["begun"], then["begun"]),
        Row(_("Placements ended in the period"), now["ended"], then["ended"]),
    ]
    chart = _bars(_("Children by where they live at the end of the period"), kinds)
    return Table(_("Placements at the end of the period, by kind"), rows, chart=chart)


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
    rows = [Row(_("Incidents in the period"), now["total"], then["total"])]
    severities = [
        Row(
            _("Severity: %(severity)s", severity=SEVERITY_LABELS[severity]),
            now["by_severity"][severity],
            then["by_severity"][severity],
        )
        for severity in Severity
    ]
    rows += severities
    for status in IncidentStatus:
        label = _("Status now: %(status)s", status=STATUS_LABELS[status])
        rows.append(Row(label, now["by_status"][status], then["by_status"][status]))
    median = Row(_("Median days to resolution"), now["median_days"], then["median_days"], DAYS)
    chart = _bars(_("Incidents by severity"), severities)
    return Table(_("Incidents"), [*rows, median], chart=chart)


def _incident_categories(now, then) -> Table:
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
    rows = [
        Row(str(PLACE_LABELS[place]), now["by_place"][place], then["by_place"][place])
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
