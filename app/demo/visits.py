"""Demo placements and visit histories for the social worker's caseload: fictional, neutral.

Most children have a placement with a history of follow-up visits by its plan; the last
visit of some is long enough ago that the next one is overdue; a few have no placement yet.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from app.auth.models import User
from app.casework.models import (
    CHECKS,
    Placement,
    PlacementCaregiver,
    PlacementKind,
    Rating,
    VisitAction,
    VisitKind,
    VisitOutcome,
    VisitReport,
)
from app.casework.schedule import add_months, next_visit_due
from app.casework.visit_tasks import follow_actions
from app.children.models import Child
from app.demo import names
from app.extensions import db
from app.tasks.models import TaskStatus

WITHOUT_PLACEMENT = 3
OVERDUE = 5
RELATIONSHIPS = {
    PlacementKind.MOTHER: "Анасы",
    PlacementKind.RELATIVES: "Әжесі",
    PlacementKind.GUARDIANSHIP: "Ағасы (қамқоршы)",
    PlacementKind.FOSTER_FAMILY: "Патронат тәрбиеші",
    PlacementKind.ADOPTION: "Асырап алушы ана",
}
KINDS = [PlacementKind.MOTHER] * 4 + [PlacementKind.RELATIVES] * 3 + [PlacementKind.GUARDIANSHIP]
KINDS += [PlacementKind.FOSTER_FAMILY, PlacementKind.ADOPTION]
NOTES = {
    Rating.CONCERN: ("Қосымша көмек керек.", "Келесі сапарда қайта қарау."),
    Rating.SERIOUS: ("Мамандың кеңесі қажет.",),
}


def add_visits(worker: User, children: list[Child], rng: random.Random, today: date) -> None:
    """Placements and visits for `children`, the demo caseload."""
    for number, child in enumerate(children[WITHOUT_PLACEMENT:]):
        placement = _placement(child, worker, rng, today)
        db.session.add(placement)
        db.session.flush()
        _visits(placement, worker, rng, today, overdue=number < OVERDUE)


def _placement(child: Child, worker: User, rng: random.Random, today: date) -> Placement:
    kind = rng.choice(KINDS)
    family = rng.choice(names.FAMILY_ROOTS) + "ова"
    return Placement(
        child_id=child.id,
        kind=kind,
        starts_on=today - timedelta(days=rng.randint(60, 600)),
        district=names.DISTRICT,
        social_worker_id=worker.id,
        created_by_id=worker.id,
        caregivers=[
            PlacementCaregiver(
                position=0,
                name=f"{family} {rng.choice(names.GIRLS)}",
                relationship=RELATIONSHIPS[kind],
                phone=f"+7 700 000 {rng.randint(1000, 9999)}",  # not a real number range
            )
        ],
    )


def _visits(placement: Placement, worker: User, rng, today: date, overdue: bool) -> None:
    """Visits by the plan, up to a recent one (or, for an overdue child, a late stop)."""
    stop = today - timedelta(days=rng.randint(45, 120)) if overdue else today
    last = None
    while True:
        due = next_visit_due(
            placement.starts_on, placement.monthly_months, placement.then_every_months, last
        )
        visited_on = due + timedelta(days=rng.randint(-3, 3))
        if visited_on >= stop:
            break
        report = _report(placement, worker, rng, visited_on)
        db.session.add(report)
        if report.actions:
            _follow(report, worker, today)
        last = visited_on
    if last is None and overdue:
        placement.starts_on = add_months(today, -3)  # no visit yet, due two months ago


def _follow(report: VisitReport, worker: User, today: date) -> None:
    """The report's agreed actions become tasks; those agreed more than a month ago were done."""
    db.session.flush()
    follow_actions(report)
    for action in report.actions:
        if action.by_when < today - timedelta(days=16):
            action.task.status = TaskStatus.DONE
            action.task.note = "Кездесу өтті."
            action.task.marked_by_id = worker.id
            action.task.marked_at = datetime.combine(action.by_when, time(10), UTC)


def _report(placement: Placement, worker: User, rng, visited_on: date) -> VisitReport:
    report = VisitReport(
        child_id=placement.child_id,
        placement_id=placement.id,
        kind=rng.choice(
            [VisitKind.HOME_VISIT] * 3 + [VisitKind.SCHOOL_VISIT, VisitKind.PHONE_CALL]
        ),
        visited_on=visited_on,
        present="Бала, " + placement.caregivers[0].relationship.lower(),
        author_id=worker.id,
        updated_by_id=worker.id,
    )
    worst = Rating.FINE
    for item in CHECKS:
        rating = rng.choices(list(Rating), weights=[8, 2, 0.3])[0]
        setattr(report, f"{item}_rating", rating)
        setattr(report, f"{item}_note", rng.choice(NOTES[rating]) if rating in NOTES else "")
        worst = max(worst, rating, key=list(Rating).index)
    report.outcome = {
        Rating.FINE: VisitOutcome.NO_CONCERNS,
        Rating.CONCERN: VisitOutcome.FOLLOW_UP,
        Rating.SERIOUS: VisitOutcome.URGENT,
    }[worst]
    if worst is not Rating.FINE:
        report.actions = [
            VisitAction(
                position=0,
                what="Мектеп психологымен кездесу ұйымдастыру",
                who="Әлеуметтік қызметкер",
                by_when=visited_on + timedelta(days=14),
            )
        ]
    return report
