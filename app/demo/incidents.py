"""A few fictional incident reports for the demo caseload, some followed up, two serious (so
the committee's review list has children on it). Neutral words, no names of other people."""

import random
from datetime import date, timedelta

from sqlalchemy import select

from app.auth.models import Role, User
from app.children.models import Child, caseload, class_teacher
from app.extensions import db
from app.incidents import services
from app.incidents.models import Involved, Kind, Place, Referral, Severity, Status

# (days ago, place, involved, what happened, severity, what was done at once)
REPORTS = (
    (
        2,
        Place.SCHOOL_GROUNDS,
        [Involved.PEERS],
        [Kind.VERBAL, Kind.EXCLUSION],
        Severity.MEDIUM,
        "Сыныппен әңгіме өткіздім, баланы үзілісте жалғыз қалдырмаймыз.",
    ),
    (
        5,
        Place.ONLINE,
        [Involved.PEERS, Involved.OTHER_PARENTS],
        [Kind.ONLINE, Kind.DISCLOSURE],
        Severity.SERIOUS,
        "Чаттағы хабарламалар сақталды, сынып жетекшісі хабардар.",
    ),
    (9, Place.CLASSROOM, [Involved.PEERS], [Kind.VERBAL], Severity.LOW, "Сабақта ескерту жасалды."),
    (12, Place.PUBLIC_SERVICE, [Involved.OFFICIALS], [Kind.SERVICE_REFUSED], Severity.SERIOUS, ""),
    (
        20,
        Place.NEIGHBOURHOOD,
        [Involved.NEIGHBOURS],
        [Kind.EXCLUSION],
        Severity.MEDIUM,
        "Қамқоршысымен сөйлестім.",
    ),
)


def add_incidents(users: dict[Role, User], seed: int, today: date) -> int:
    rng = random.Random(seed + 2)  # fictional; its own stream # nosec B311
    worker, teacher = users[Role.SOCIAL_WORKER], users[Role.TEACHER]
    followed = _caseload(worker)
    taught = [child for child in followed if child.class_id in _classes_of(teacher)]
    for number, (days, place, involved, kinds, severity, action) in enumerate(REPORTS):
        by_teacher = number % 2 == 0 and taught
        child = rng.choice(taught if by_teacher else followed)
        values = services.ReportValues(
            today - timedelta(days=days), place, involved, kinds, severity, action
        )
        incident = services.report(child, teacher if by_teacher else worker, values, today)
        _follow_up(incident, worker, number)
    return len(REPORTS)


def _follow_up(incident, worker: User, number: int) -> None:
    if number in (0, 1):
        services.change_status(incident, worker, Status.IN_PROGRESS, incident.version, "")
    if number == 1:
        services.record_referral(incident, worker, Referral.PSYCHOLOGIST, "")
    if number == 4:
        services.record_action(incident, worker, "Көршілермен кездесу ұйымдастырылды.")
        services.change_status(incident, worker, Status.IN_PROGRESS, incident.version, "")
        services.change_status(incident, worker, Status.RESOLVED, incident.version, "")


def _caseload(worker: User) -> list[Child]:
    ids = select(caseload.c.child_id).where(caseload.c.user_id == worker.id)
    return list(db.session.scalars(select(Child).where(Child.id.in_(ids)).order_by(Child.id)))


def _classes_of(teacher: User) -> set:
    rows = select(class_teacher.c.class_id).where(class_teacher.c.user_id == teacher.id)
    return set(db.session.scalars(rows))
