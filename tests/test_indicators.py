"""The district's indicators (issue 15, points 1, 2, 7 and 8): exact figures on a small known
district, beside the previous period; one school; another district never counted; the same
statements for 3 children as for 30; the charts drawn from the same figures, mirrored in Arabic;
bad periods and schools refused, and periods with nothing in them said so, in the reader's
language."""

import re
import uuid
from datetime import UTC, date, datetime
from xml.etree import ElementTree

import pytest
from sqlalchemy import insert, select

from app.attendance.models import Status
from app.auth.models import Role
from app.casework.models import Placement, PlacementKind
from app.children.models import caseload
from app.committee.decisions import ActionInput
from app.committee.models import Assignee, DecisionAction
from app.extensions import db
from app.incidents.models import EventKind, Incident, IncidentEvent, Involved, Kind, Place, Severity
from app.incidents.models import Status as IncidentStatus
from app.indicators import queries
from app.indicators.period import Period
from app.plans.models import LanguageLevel
from app.results.models import Subject, TermResult
from app.tasks.models import Task, TaskStatus
from tests.casework_factories import PlacementFactory, VisitReportFactory
from tests.committee_helpers import (
    OTHER_DISTRICT,
    decide,
    district_class,
    followed_child,
    meeting_on,
    member,
    worker,
)
from tests.conftest import count_queries
from tests.factories import (
    AttendanceMarkFactory,
    ChildFactory,
    SchoolClassFactory,
    TermFactory,
    UserFactory,
)

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))  # the previous: 2 to 31 October
OCTOBER = NOVEMBER.previous()
PERIOD = {"period": "custom", "from": "2026-11-01", "to": "2026-11-30"}


def test_the_previous_period_has_the_same_length_and_ends_the_day_before():
    assert Period(date(2026, 10, 2), date(2026, 10, 31)) == OCTOBER


def _marks(child, by, statuses, month: int) -> None:
    for day, status in enumerate(statuses, start=2):
        AttendanceMarkFactory(
            child_obj=child, recorded_by=by, day=date(2026, month, day), status=status
        )


def _results(child, subjects, term, by, marks) -> None:
    for subject, mark in zip(subjects, marks, strict=True):
        db.session.add(
            TermResult(
                child_id=child.id, subject_id=subject.id, term_id=term.id, class_id=child.class_id,
                mark=mark, recorded_by_id=by.id, recorded_at=datetime(2026, 11, 1, tzinfo=UTC),
            )
        )  # fmt: skip


def _incident(
    child,
    by,
    occurred_on,
    severity,
    status,
    resolved_at=None,
    kinds=(Kind.VERBAL,),
    place=Place.CLASSROOM,
) -> None:
    incident = Incident(
        child_id=child.id, reported_by_id=by.id, occurred_on=occurred_on,
        place=place, involved=[Involved.PEERS], what_happened=list(kinds),
        severity=severity, status=status,
    )  # fmt: skip
    db.session.add(incident)
    db.session.flush()
    if resolved_at is not None:
        db.session.add(
            IncidentEvent(
                incident_id=incident.id, at=resolved_at, by_id=by.id,
                kind=EventKind.STATUS, status_to=IncidentStatus.RESOLVED,
            )
        )  # fmt: skip


def _levels(child, by, levels) -> None:
    for term, level in levels:
        db.session.add(
            LanguageLevel(
                child_id=child.id, term_id=term.id, language="kk", level=level,
                recorded_by_id=by.id,
            )
        )  # fmt: skip


def _decision(committee, child, held_on: date, dues: list[date], done: int = 0) -> None:
    meeting = meeting_on(held_on, committee, [child], district=committee.district)
    actions = [
        ActionInput(f"Action {n}", Assignee.SOCIAL_WORKER, due_on=date(2026, 12, 20))
        for n in range(len(dues))
    ]
    decision = decide(committee, meeting, child, date(2027, 3, 1), actions=actions)
    decision.recorded_at = datetime.combine(held_on, datetime.min.time(), UTC)
    rows = db.session.scalars(
        select(DecisionAction).where(DecisionAction.decision_id == decision.id)
    ).all()
    for n, (action, due_on) in enumerate(zip(rows, dues, strict=True)):
        action.due_on = due_on
        if n < done:
            db.session.get(Task, action.task_id).status = TaskStatus.DONE
    db.session.commit()


@pytest.fixture
def district():
    """Four children of the district in two schools, and one of another district who has a
    little of everything (never counted). The figures each test expects are worked out in its
    comments from what is here."""
    committee, sw = member(), worker()
    class_a, class_b = district_class(), district_class()
    c1 = followed_child(class_a, sw)  # with relatives since March
    c2 = followed_child(class_a, sw, None)
    c2.created_at = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)  # entered and placed: new in November
    PlacementFactory(
        child_obj=c2, worker=sw, kind=PlacementKind.MOTHER, starts_on=date(2026, 11, 10)
    )
    c3 = followed_child(class_b, sw, None)
    c3.case_closed_on = date(2026, 11, 20)  # follow-up ended in November
    PlacementFactory(child_obj=c3, worker=sw, kind=PlacementKind.FOSTER_FAMILY,
                     starts_on=date(2026, 3, 2), ends_on=date(2026, 10, 15))  # fmt: skip
    PlacementFactory(child_obj=c3, worker=sw, kind=PlacementKind.GUARDIANSHIP,
                     starts_on=date(2026, 10, 15))  # fmt: skip
    c4 = ChildFactory(school_class=class_b)  # not followed
    other = followed_child(district_class(OTHER_DISTRICT), sw)
    P, A, L, E = Status.PRESENT, Status.ABSENT, Status.LATE, Status.EXCUSED
    _marks(c1, sw, [P] * 9 + [A], 11)
    _marks(c2, sw, [P, P, P, L, A], 11)  # 80 %: low
    _marks(c4, sw, [A] * 4, 11)  # too few marks to say
    _marks(c1, sw, [P, P, P, P, E], 10)  # 80 %: low
    _marks(other, sw, [A] * 10, 11)
    q1 = TermFactory(number=1, starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 30))
    q2 = TermFactory()  # 3 November to 28 December
    subjects = [
        Subject(
            code=code,
            grade_from=1,
            grade_to=11,
            name_en=code,
            name_kk=code,
            name_ru=code,
            name_ar=code,
        )
        for code in ("maths", "reading")
    ]
    db.session.add_all(subjects)
    db.session.flush()
    _results(c1, subjects, q2, sw, [5, 5])
    _results(c2, subjects, q2, sw, [5, 4])
    _results(c3, subjects, q2, sw, [2, 5])
    _results(other, subjects, q2, sw, [2, 2])
    _results(c1, subjects, q1, sw, [4, 4])
    q4 = TermFactory(academic_year="2025-2026", number=4, starts_on=date(2026, 3, 30),
                     ends_on=date(2026, 5, 25))  # fmt: skip
    _levels(c1, sw, [(q4, 2), (q1, 3), (q2, 4)])  # rose in October and in November
    _levels(c2, sw, [(q2, 2)])  # first assessed in November
    _levels(c3, sw, [(q1, 3), (q2, 3)])  # first in October, stayed in November
    _levels(c4, sw, [(q1, 4), (q2, 3)])  # first in October, fell in November
    _levels(other, sw, [(q1, 1), (q2, 5)])
    relatives = db.session.scalars(select_placement(c1)).one()
    # Visits due (casework's rule: a month after a visit for six months, then every three,
    # or the day agreed at the visit): after 28 September, the 3 October agreed, done on the
    # 5th; after 5 November, the 11th agreed, done on the 12th; after 5 October and 12
    # November, in January and February.
    for day, agreed in (
        (date(2026, 9, 28), date(2026, 10, 3)),
        (date(2026, 10, 5), None),
        (date(2026, 11, 5), date(2026, 11, 11)),
        (date(2026, 11, 12), None),
    ):
        VisitReportFactory(placement=relatives, worker=sw, visited_on=day, next_visit_on=agreed)
    # With the mother since 10 November, visited on the 15th, next agreed on the 25th: due
    # and not made by the 30th (its first, a month on, falls in December).
    VisitReportFactory(placement=db.session.scalars(select_placement(c2)).one(), worker=sw,
                       visited_on=date(2026, 11, 15), next_visit_on=date(2026, 11, 25))  # fmt: skip
    # The foster family's visit agreed for 20 October fell due after the child had left it
    # (15 October): not due. The guardianship since 15 October: due on 15 November, not made.
    foster = db.session.scalars(
        select(Placement).where(
            Placement.child_id == c3.id, Placement.kind == PlacementKind.FOSTER_FAMILY
        )
    ).one()
    VisitReportFactory(placement=foster, worker=sw, visited_on=date(2026, 9, 20),
                       next_visit_on=date(2026, 10, 20))  # fmt: skip
    VisitReportFactory(placement=db.session.scalars(select_placement(other)).one(), worker=sw,
                       visited_on=date(2026, 11, 15))  # fmt: skip
    at = lambda d: datetime(2026, 11, d, 10, 0, tzinfo=UTC)  # noqa: E731
    _incident(c1, sw, date(2026, 11, 2), Severity.LOW, IncidentStatus.RESOLVED, at(6),  # 4 days
              (Kind.VERBAL, Kind.ONLINE), Place.ONLINE)  # fmt: skip
    _incident(c2, sw, date(2026, 11, 5), Severity.SERIOUS, IncidentStatus.RESOLVED, at(15),  # 10
              (Kind.PHYSICAL, Kind.VERBAL), Place.SCHOOL_GROUNDS)  # fmt: skip
    _incident(c1, sw, date(2026, 11, 10), Severity.MEDIUM, IncidentStatus.OPEN,
              kinds=(Kind.EXCLUSION,))  # fmt: skip
    _incident(c3, sw, date(2026, 11, 12), Severity.LOW, IncidentStatus.RESOLVED, at(13))  # 1
    _incident(c1, sw, date(2026, 10, 20), Severity.MEDIUM, IncidentStatus.IN_PROGRESS,
              kinds=(Kind.DISCLOSURE,), place=Place.NEIGHBOURHOOD)  # fmt: skip
    _incident(other, sw, date(2026, 11, 3), Severity.SERIOUS, IncidentStatus.OPEN,
              kinds=(Kind.VERBAL, Kind.SERVICE_REFUSED), place=Place.MEDIA)  # fmt: skip
    db.session.commit()
    _decision(
        committee,
        c1,
        date(2026, 11, 10),
        [date(2026, 11, 15), date(2026, 11, 16), date(2026, 12, 1)],
        done=1,
    )
    _decision(committee, c2, date(2026, 11, 11), [])
    _decision(committee, c1, date(2026, 10, 10), [date(2026, 10, 20)])
    _decision(member(OTHER_DISTRICT), other, date(2026, 11, 10), [date(2026, 11, 1)])
    return committee, class_a.school


def select_placement(child):
    return select(Placement).where(Placement.child_id == child.id, Placement.ends_on.is_(None))


def _both(figure, committee, school=None, *args):
    children = queries.scope(committee, school.id if school else None)
    return [figure(children, period, *args) for period in (NOVEMBER, OCTOBER)]


def test_children_followed_at_the_end_new_and_ended(district):
    committee, _ = district
    assert _both(queries.children_followed, committee) == [
        {"at_end": 2, "new": 1, "ended": 1},
        {"at_end": 2, "new": 0, "ended": 0},  # the child closed in November was still followed
    ]


def test_a_child_is_new_when_their_follow_up_began_as_the_review_cycle_counts_it():
    """Their first placement, not the day they were entered (January here)."""
    committee, sw = member(), worker()
    followed_child(district_class(), sw, date(2026, 11, 20))
    children = queries.scope(committee, None)
    assert queries.children_followed(children, NOVEMBER) == {"at_end": 1, "new": 1, "ended": 0}
    assert queries.children_followed(children, OCTOBER) == {"at_end": 0, "new": 0, "ended": 0}


def test_attendance_rate_and_children_below_85_percent(district):
    committee, _ = district
    assert _both(queries.attendance, committee) == [
        {"rate": 13 / 19, "marks": 19, "low": 1, "children": 3},
        {"rate": 4 / 5, "marks": 5, "low": 1, "children": 1},
    ]


def test_results_share_of_all_fives_fours_and_fives_any_two_by_term(district):
    committee, _ = district
    november, october = _both(queries.results, committee)
    assert november == [
        {
            "year": "2026-2027",
            "number": 2,
            "children": 3,
            "all_fives": 1,
            "fours_and_fives": 2,
            "any_two": 1,
        }
    ]
    assert october == [
        {
            "year": "2026-2027",
            "number": 1,
            "children": 1,
            "all_fives": 0,
            "fours_and_fives": 1,
            "any_two": 0,
        }
    ]


def test_placements_by_kind_at_the_end_and_changes(district):
    committee, _ = district
    november, october = _both(queries.placements, committee)
    kinds = dict.fromkeys(PlacementKind, 0)
    assert november == {
        "by_kind": kinds
        | {PlacementKind.RELATIVES: 1, PlacementKind.MOTHER: 1, PlacementKind.GUARDIANSHIP: 1},
        "begun": 1,
        "ended": 0,
    }
    assert october == {
        "by_kind": kinds | {PlacementKind.RELATIVES: 1, PlacementKind.GUARDIANSHIP: 1},
        "begun": 1,
        "ended": 1,
    }


def test_visits_done_and_overdue_today(district):
    committee, _ = district
    assert _both(queries.visits_done, committee) == [3, 1]
    children = queries.scope(committee, None)
    # The guardianship from 15 October has had no visit: due a month on, overdue on the 18th.
    assert queries.visits_overdue(children, date(2026, 11, 18)) == {"placements": 3, "overdue": 1}


def test_incidents_by_severity_and_status_with_median_days_to_resolution(district):
    committee, _ = district
    november, october = _both(queries.incidents, committee)
    assert november["total"] == 4
    assert november["by_severity"] == {Severity.LOW: 2, Severity.MEDIUM: 1, Severity.SERIOUS: 1}
    assert november["by_status"] == {
        IncidentStatus.OPEN: 1, IncidentStatus.IN_PROGRESS: 0, IncidentStatus.RESOLVED: 3
    }  # fmt: skip
    assert november["median_days"] == 4  # of 4, 10 and 1 days
    assert october["total"] == 1 and october["median_days"] is None


def test_attendance_by_week_from_monday_in_one_statement(district):
    """November's marks: 2 to 8 November (Monday to Sunday) 11 of 16 attended, 9 to 11
    November 2 of 3 (the most children marked on one day: 3, then 1); October's period begins
    on Friday 2 October, in the week of 28 September."""
    committee, _ = district
    november, october = _both(queries.attendance_by_week, committee)
    assert november == [
        {"week": date(2026, 11, 2), "rate": 11 / 16, "marks": 16, "children": 3},
        {"week": date(2026, 11, 9), "rate": 2 / 3, "marks": 3, "children": 1},
    ]
    assert october == [
        {"week": date(2026, 9, 28), "rate": 1.0, "marks": 3, "children": 1},
        {"week": date(2026, 10, 5), "rate": 0.5, "marks": 2, "children": 1},
    ]
    with count_queries() as statements:
        queries.attendance_by_week(queries.scope(committee, None), NOVEMBER)
    assert len(statements) == 1


def test_language_levels_latest_in_the_period_beside_the_previous_assessed_term(district):
    committee, _ = district
    november, october = _both(queries.language_levels, committee)
    assert november == {
        "children": 4,  # c1 4, c2 2, c3 3, c4 3
        "by_level": {1: 0, 2: 1, 3: 2, 4: 1, 5: 0},
        "rose": 1,  # c1, from 3
        "stayed": 1,  # c3
        "fell": 1,  # c4, from 4
        "first": 1,  # c2
    }
    assert october == {  # the first term's levels (the second begins in November)
        "children": 3,
        "by_level": {1: 0, 2: 0, 3: 2, 4: 1, 5: 0},
        "rose": 1,  # c1, from 2 in the spring
        "stayed": 0,
        "fell": 0,
        "first": 2,
    }


def test_visits_due_in_the_period_and_those_made_by_its_end(district):
    committee, _ = district
    assert _both(queries.visits_due_in, committee) == [
        {"due": 3, "done": 1},  # 11 November (made the 12th); 15 and 25 November, not made
        {"due": 1, "done": 1},  # 3 October, made the 5th (the 20th: the child had moved)
    ]


def test_incidents_by_category_count_an_incident_in_each_of_its_categories_and_by_place(
    district,
):
    committee, _ = district
    november, october = _both(queries.incidents, committee)
    kinds = dict.fromkeys(Kind, 0)
    assert november["by_kind"] == kinds | {
        Kind.VERBAL: 3, Kind.ONLINE: 1, Kind.PHYSICAL: 1, Kind.EXCLUSION: 1
    }  # fmt: skip
    assert sum(november["by_kind"].values()) == 6 and november["total"] == 4
    places = dict.fromkeys(Place, 0)
    assert november["by_place"] == places | {
        Place.CLASSROOM: 2, Place.ONLINE: 1, Place.SCHOOL_GROUNDS: 1
    }  # fmt: skip
    assert october["by_kind"] == kinds | {Kind.DISCLOSURE: 1}
    assert october["by_place"] == places | {Place.NEIGHBOURHOOD: 1}


def test_decisions_and_their_actions_done_and_overdue(district):
    committee, _ = district
    assert _both(queries.decisions, committee, None, date(2026, 11, 18)) == [
        {"decisions": 2, "actions": 3, "done": 1, "overdue": 1},
        {"decisions": 1, "actions": 1, "done": 0, "overdue": 1},
    ]


def test_one_school_counts_only_its_children(district):
    committee, school_a = district
    assert _both(queries.children_followed, committee, school_a)[0] == {
        "at_end": 2,
        "new": 1,
        "ended": 0,
    }
    assert _both(queries.attendance, committee, school_a)[0] == {
        "rate": 13 / 15,
        "marks": 15,
        "low": 1,
        "children": 2,
    }
    assert _both(queries.incidents, committee, school_a)[0]["total"] == 3


def test_the_page_shows_each_figure_beside_the_previous_period(client, auth, district):
    committee, school_a = district
    auth.log_in_as(committee)
    html = client.get("/indicators", query_string=PERIOD).get_data(as_text=True)
    assert "<caption>Children followed</caption>" in html
    assert '<th scope="row">Attendance rate</th>' in html
    assert "68.4%" in html and "80%" in html and "-11.6 pp" in html  # 13/19 beside 4/5
    assert "Median days to resolution" in html and "no data" in html
    page = client.get("/indicators", query_string=PERIOD | {"school": str(school_a.id)})
    assert page.status_code == 200 and "86.7%" in page.get_data(as_text=True)  # 13/15


def test_the_page_speaks_the_readers_language(client, auth, district):
    committee, _ = district
    committee.preferred_language = "ru"
    db.session.commit()
    auth.log_in_as(committee)
    html = client.get("/indicators", query_string=PERIOD).get_data(as_text=True)
    assert "68,4" in html and "Посещаемость" in html


SVG = "{http://www.w3.org/2000/svg}"
KEY = ["chart-key chart-column", "chart-key chart-column-low"]  # the weekly chart's key


def _charts(html: str) -> list[ElementTree.Element]:
    svgs = re.findall(r"<svg .*?</svg>", html, re.S)
    return [ElementTree.fromstring(svg) for svg in svgs]  # noqa: S314 - the app's own page


def _texts(svg, css_class: str) -> list[str]:
    return [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == css_class]


def test_each_chart_has_a_title_a_text_alternative_and_its_figures_in_the_table(
    client, auth, district
):
    committee, _ = district
    auth.log_in_as(committee)
    html = client.get("/indicators", query_string=PERIOD).get_data(as_text=True)
    charts = _charts(html)
    titles = [svg.find(f"{SVG}title").text for svg in charts]
    assert titles == [
        "Attendance rate by week",
        "Children by language level",
        "Children by where they live at the end of the period",
        "Incidents by severity",
        "Incidents by category",
    ]
    for svg in charts:
        assert svg.get("role") == "img" and svg.get("width") == "100%"
        title, desc = svg.get("aria-labelledby").split()
        assert svg.find(f"{SVG}title").get("id") == title
        assert svg.find(f"{SVG}desc").get("id") == desc
        assert svg.get("viewBox").startswith("0 0 320 ")
        # The same title in sight, above the chart.
        caption = f'<figcaption id="{title.removesuffix("-title")}-caption" class="chart-title">'
        assert f"{caption}{svg.find(f'{SVG}title').text}</figcaption>" in html
    weeks, levels, _, _, categories = charts
    # One column a week, both below 85 %: hatched, and the threshold dashed across at 85 %.
    columns = [r for r in weeks.iter(f"{SVG}rect") if "column" in r.get("class")]
    assert [r.get("class") for r in columns] == ["chart-column-low", "chart-column-low", *KEY]
    assert float(columns[0].get("x")) < float(columns[1].get("x"))  # left to right
    heights = [float(r.get("height")) for r in columns[:2]]
    assert heights == pytest.approx([128 * 11 / 16, 128 * 2 / 3])  # 0 to 100 % over 128 units
    threshold = next(
        line for line in weeks.iter(f"{SVG}line") if line.get("class") == "chart-threshold"
    )
    assert float(threshold.get("y1")) == pytest.approx(150 - 128 * 0.85)
    assert "Threshold 85%" in _texts(weeks, "chart-label")
    assert weeks.find(f"{SVG}desc").text == (
        "Column chart, one column a week from Nov 2, 2026 to Nov 9, 2026: the attendance rate"
        " was between 66.7% and 68.8%; 2 of 2 weeks below 85%."
    )
    assert _texts(levels, "chart-figure") == ["0", "1", "2", "1", "0"]
    assert _texts(categories, "chart-label")[0] == "Insults or name-calling"
    assert _texts(categories, "chart-figure") == ["3", "1", "1", "1", "0", "0"]
    assert "Insults or name-calling: 3" in categories.find(f"{SVG}desc").text
    # The figures are in the tables beside the charts.
    assert "<caption>Incidents by category</caption>" in html
    assert '<th scope="row">Week of Nov 2, 2026</th>\n      <td class="number">68.8%</td>' in html
    assert "these counts do not add up to the number of incidents" in html


def test_in_arabic_the_bars_grow_from_the_right_and_the_weeks_run_right_to_left(
    client, auth, district
):
    committee, _ = district
    committee.preferred_language = "ar"
    db.session.commit()
    auth.log_in_as(committee)
    charts = _charts(client.get("/indicators", query_string=PERIOD).get_data(as_text=True))
    weeks, *bars = charts
    assert {svg.get("direction") for svg in charts} == {"rtl"}
    for svg in bars:
        rects = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "chart-bar"]
        assert rects and all(float(r.get("x")) + float(r.get("width")) == 320 for r in rects)
        labels = {t.get("x") for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label"}
        assert labels == {"318"}  # at the right, clear of the edge
    first, second = (r for r in weeks.iter(f"{SVG}rect") if r.get("class") == "chart-column-low")
    assert float(first.get("x")) > float(second.get("x"))  # the first week on the right


def test_the_visits_and_language_rows_beside_the_previous_period_on_the_page(
    client, auth, district
):
    committee, _ = district
    auth.log_in_as(committee)
    html = client.get("/indicators", query_string=PERIOD).get_data(as_text=True)
    row = '<th scope="row">{}</th>\n      <td class="number">{}</td>\n      <td class="number">{}'
    row += "</td>"
    assert row.format("Visits due in the period", 3, 1) in html
    assert row.format("Of these, made by the end of the period", 1, 1) in html
    assert row.format("Rose since their previous assessment", 1, 1) in html
    assert row.format("Fell since their previous assessment", 1, 0) in html
    assert row.format("In the classroom", 2, 0) in html
    assert "not yet part of this page" not in html


def test_a_period_over_two_terms_shows_each_terms_results_beside_all_terms(client, auth, district):
    """October and November: term 1 (to 30 October) has marks for 1 child, all 4; term 2 for
    3 children: one all 5, one 5 and 4, one with a 2. A period within one term has no term
    rows."""
    committee, _ = district
    auth.log_in_as(committee)
    query = {"period": "custom", "from": "2026-10-01", "to": "2026-11-30"}
    html = client.get("/indicators", query_string=query).get_data(as_text=True)
    row = '<th scope="row">{}</th>\n      <td class="number">{}</td>\n      <td class="number">{}'
    row += "</td>"
    # The previous period, August and September, holds term 1 (from 1 September).
    assert row.format("Children with term marks (all terms)", 4, 1) in html
    assert row.format("All marks 5", "25%", "0%") in html
    assert row.format("All marks 4 or 5", "75%", "100%") in html
    assert row.format("At least one mark 2", "25%", "0%") in html
    for term, figures in (
        ("Term 1, 2026-2027", (1, "0%", "100%", "0%")),
        ("Term 2, 2026-2027", (3, "33.3%", "66.7%", "33.3%")),
    ):
        labels = ("Children with term marks", "All marks 5", "All marks 4 or 5")
        labels += ("At least one mark 2",)
        for label, figure in zip(labels, figures, strict=True):
            assert row.format(f"{term} — {label}", figure, "—") in html
    november = client.get("/indicators", query_string=PERIOD).get_data(as_text=True)
    assert "Term 2, 2026-2027 —" not in november


NO_DATA = {
    "kk": "Бұл кезеңде ештеңе жазылмаған",
    "ru": "За этот период ничего не записано",
    "ar": "لم يُسجَّل شيء في هذه الفترة",
}
FUTURE = {
    "kk": "Бұл кезең әлі басталған жоқ",
    "ru": "Этот период ещё не начался",
    "ar": "لم تبدأ هذه الفترة بعد",
}
BEFORE_2000 = {
    "kk": "Qadam-да 2000 жылға дейінгі деректер жоқ",
    "ru": "в Qadam нет данных ранее 2000 года",
    "ar": "لا يحتفظ Qadam بأي أرقام قبل عام 2000",
}


@pytest.mark.parametrize("lang", ["kk", "ru", "ar"])
def test_a_period_with_no_data_says_so_in_the_readers_language(client, auth, lang):
    committee = member(lang=lang)
    _district_of(2, committee)  # followed from March 2026, marked in November
    auth.log_in_as(committee)
    response = client.get(
        "/indicators", query_string={"period": "custom", "from": "2020-09-01", "to": "2021-05-31"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert NO_DATA[lang] in html and "<caption>" in html
    assert "<svg" not in html  # no chart of zeros
    november = client.get("/indicators", query_string=PERIOD).get_data(as_text=True)
    assert NO_DATA[lang] not in november


@pytest.mark.parametrize("lang", ["kk", "ru", "ar"])
def test_a_period_yet_to_begin_says_so_and_counts_nothing(client, auth, lang):
    auth.log_in_as(member(lang=lang))
    response = client.get(
        "/indicators", query_string={"period": "custom", "from": "2026-12-01", "to": "2027-05-31"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert FUTURE[lang] in html and "<caption>" not in html and "<svg" not in html
    assert client.get("/indicators").status_code == 200  # this term
    assert client.get("/indicators?period=year").status_code == 200


@pytest.mark.parametrize("lang", ["kk", "ru", "ar"])
def test_dates_before_2000_are_refused_in_the_readers_language(client, auth, lang):
    auth.log_in_as(member(lang=lang))
    response = client.get(
        "/indicators", query_string={"period": "custom", "from": "1998-09-01", "to": "1999-05-31"}
    )
    assert response.status_code == 422
    assert BEFORE_2000[lang] in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ({"period": "custom", "from": "2026-11-30", "to": "2026-11-01"}, 422, "Период должен"),
        ({"period": "custom", "from": "2026-13-01", "to": "2026-11-30"}, 422, "ГГГГ-ММ-ДД"),
        ({"period": "custom", "from": "0001-01-01", "to": "2026-11-30"}, 422, "ранее 2000"),
        ({"period": "decade"}, 400, "Выберите"),
        ({"school": str(uuid.uuid4())}, 404, "не относится"),
        ({"school": "not-an-id"}, 404, "не относится"),
    ],
)
def test_bad_periods_and_schools_are_refused_in_the_readers_language(
    client, auth, query, status, words
):
    auth.log_in_as(member(lang="ru"))
    response = client.get("/indicators", query_string=query)
    assert response.status_code == status
    assert words in response.get_data(as_text=True)


def test_another_districts_school_is_refused(client, auth):
    other_school = district_class(OTHER_DISTRICT).school
    auth.log_in_as(member())
    assert (
        client.get("/indicators", query_string={"school": str(other_school.id)}).status_code == 404
    )


@pytest.mark.parametrize("role", [Role.TEACHER, Role.SOCIAL_WORKER, Role.ADMINISTRATOR])
def test_no_one_but_the_committee_gets_district_figures(client, auth, role):
    auth.log_in_as(UserFactory(role=role, district="Сынақ ауданы"))
    assert client.get("/indicators").status_code == 404


def test_a_member_with_no_district_gets_no_figures(client, auth):
    auth.log_in_as(member(district=""))
    assert client.get("/indicators").status_code == 404


def _district_of(size: int, committee, term=None) -> None:
    """`size` children followed since March, each with a mark, a visit and an incident in
    November, and a language level in `term` if given."""
    sw = worker()
    school_class = SchoolClassFactory(school=district_class().school)
    for _ in range(size):
        child = ChildFactory(school_class=school_class)
        db.session.execute(insert(caseload).values(user_id=sw.id, child_id=child.id))
        placement = PlacementFactory(child_obj=child, worker=sw)
        AttendanceMarkFactory(child_obj=child, recorded_by=sw, day=date(2026, 11, 3))
        VisitReportFactory(placement=placement, worker=sw, visited_on=date(2026, 11, 4))
        _incident(child, sw, date(2026, 11, 4), Severity.LOW, IncidentStatus.OPEN,
                  kinds=(Kind.VERBAL, Kind.ONLINE))  # fmt: skip
        if term is not None:
            _levels(child, sw, [(term, 3)])
    db.session.commit()


def test_the_page_costs_the_same_statements_for_3_children_as_for_30(client, auth):
    committee = member()
    auth.log_in_as(committee)
    term = TermFactory()
    _district_of(3, committee, term)
    with count_queries() as few:
        assert client.get("/indicators", query_string=PERIOD).status_code == 200
    _district_of(27, committee, term)
    with count_queries() as many:
        page = client.get("/indicators", query_string=PERIOD)
    assert len(few) == len(many)
    html = page.get_data(as_text=True)  # every new figure counted the thirty
    for label in ("Children assessed", "Level 3", "Insults or name-calling", "Bullying online"):
        assert f'<th scope="row">{label}</th>\n      <td class="number">30</td>' in html
    assert 'Visits done in the period</th>\n      <td class="number">30<' in html
