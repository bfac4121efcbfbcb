"""The figures of a period and of the period before it, as the page's tables: each row a
label, the two values and the change, formatted for the reader's language."""

from dataclasses import dataclass
from datetime import date

from flask_babel import format_number, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from app.attendance.overview import LOW_ATTENDANCE_RATE
from app.casework.models import PLACEMENT_LABELS, PlacementKind
from app.incidents.models import SEVERITY_LABELS, STATUS_LABELS, Severity
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


@dataclass(frozen=True)
class Table:
    caption: str
    rows: list[Row]
    note: str = ""
    key: str = ""  # ASCII, stable: names the table in an export's address and file name


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def build(children: Select, period: Period, today: date) -> list[Table]:
    """Every table of the page: the period's figures beside the previous period's."""
    before = period.previous()
    return [
        _followed(children, period, before),
        _attendance(children, period, before),
        _results(children, period, before),
        _placements(children, period, before),
        _visits(children, period, before, today),
        _incidents(children, period, before),
        _decisions(children, period, before, today),
    ]


def _followed(children, period, before) -> Table:
    now, then = (queries.children_followed(children, p) for p in (period, before))
    rows = [
        Row(_("Followed at the end of the period"), now["at_end"], then["at_end"]),
        Row(_("Newly followed in the period"), now["new"], then["new"]),
        Row(_("Follow-up ended in the period"), now["ended"], then["ended"]),
    ]
    return Table(_("Children followed"), rows, key="followed")


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
    return Table(_("Attendance"), rows, key="attendance")


def _results(children, period, before) -> Table:
    now, then = (queries.results(children, p) for p in (period, before))
    rows = [
        Row(
            _("Children with term marks (all terms)"), _sum(now, "children"), _sum(then, "children")
        )
    ]
    for key, label in RESULT_SHARES:
        shares = (_share(_sum(terms, key), _sum(terms, "children")) for terms in (now, then))
        base = tuple((_sum(terms, key), _sum(terms, "children")) for terms in (now, then))
        rows.append(Row(str(label), *shares, SHARE, base=base))
    return Table(_("School results of the terms in the period"), rows, key="results")


RESULT_SHARES = (
    ("all_fives", _l("All marks 5")),
    ("fours_and_fives", _l("All marks 4 or 5")),
    ("any_two", _l("At least one mark 2")),
)


def _sum(terms: list[dict], key: str) -> int:
    return sum(term[key] for term in terms)


def _placements(children, period, before) -> Table:
    now, then = (queries.placements(children, p) for p in (period, before))
    rows = [
        Row(
            str(PLACEMENT_LABELS[kind]),
            now["by_kind"][kind],
            then["by_kind"][kind],
            group="placement_kind",
        )
        for kind in PlacementKind
    ]
    rows.append(Row(_("Placements begun in the period"), now["begun"], then["begun"]))
    rows.append(Row(_("Placements ended in the period"), now["ended"], then["ended"]))
    return Table(_("Placements at the end of the period, by kind"), rows, key="placements")


def _visits(children, period, before, today) -> Table:
    done = [queries.visits_done(children, p) for p in (period, before)]
    due = queries.visits_overdue(children, today)
    rows = [
        Row(_("Visits done in the period"), *done),
        Row(_("Current placements"), due["placements"], None, compared=False),
        Row(_("Placements with a visit overdue today"), due["overdue"], None, compared=False),
    ]
    return Table(_("Visits"), rows, key="visits")


def _incidents(children, period, before) -> Table:
    now, then = (queries.incidents(children, p) for p in (period, before))
    total = Row(
        _("Incidents in the period"), now["total"], then["total"], total_of=("severity", "status")
    )
    rows = [total]
    for severity in Severity:
        label = _("Severity: %(severity)s", severity=SEVERITY_LABELS[severity])
        by = (now["by_severity"][severity], then["by_severity"][severity])
        rows.append(Row(label, *by, group="severity"))
    for status in IncidentStatus:
        label = _("Status now: %(status)s", status=STATUS_LABELS[status])
        rows.append(Row(label, now["by_status"][status], then["by_status"][status], group="status"))
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
    return Table(_("Incidents"), [*rows, median], key="incidents")


def _decisions(children, period, before, today) -> Table:
    now, then = (queries.decisions(children, p, today) for p in (period, before))
    rows = [
        Row(_("Decisions recorded"), now["decisions"], then["decisions"]),
        Row(_("Actions decided"), now["actions"], then["actions"]),
        Row(_("Actions done"), now["done"], then["done"]),
        Row(_("Actions overdue today"), now["overdue"], then["overdue"]),
    ]
    return Table(_("Committee decisions"), rows, key="decisions")
