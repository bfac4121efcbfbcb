"""Helpers for the committee's review-cycle tests: a district, its followed children, meetings."""

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import func, insert, select

from app.auth.models import Role
from app.children.models import caseload
from app.committee import decisions
from app.committee.decisions import DecisionInput
from app.committee.models import AgendaItem, Meeting, Outcome
from app.extensions import db
from tests.casework_factories import PlacementFactory
from tests.factories import ChildFactory, SchoolClassFactory, SchoolFactory, UserFactory

DISTRICT = "Сынақ ауданы"
OTHER_DISTRICT = "Басқа аудан"


def member(district: str = DISTRICT, lang: str = "en", **kwargs):
    return UserFactory(
        role=Role.COMMITTEE_MEMBER, district=district, preferred_language=lang, **kwargs
    )


def worker():
    return UserFactory(role=Role.SOCIAL_WORKER)


def district_class(district: str = DISTRICT):
    return SchoolClassFactory(school=SchoolFactory(district=district))


def followed_child(school_class, social_worker, starts_on: date | None = date(2026, 3, 2)):
    """A child of the class in `social_worker`'s caseload, with a placement from `starts_on`
    (None: no placement), created long ago."""
    child = ChildFactory(school_class=school_class)
    child.created_at = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    db.session.execute(insert(caseload).values(user_id=social_worker.id, child_id=child.id))
    if starts_on is not None:
        PlacementFactory(child_obj=child, worker=social_worker, starts_on=starts_on)
    db.session.commit()
    return child


def meeting_on(held_on: date, by, children=(), district: str = DISTRICT) -> Meeting:
    meeting = Meeting(district=district, held_on=held_on, place="Әкімдік, 3-кабинет")
    meeting.created_by_id = by.id
    meeting.agenda = [
        AgendaItem(child_id=child.id, position=n) for n, child in enumerate(children, start=1)
    ]
    db.session.add(meeting)
    db.session.commit()
    return meeting


def decide(by, meeting, child, next_review_on: date, **kwargs):
    outcome = kwargs.pop("outcome", Outcome.CONTINUE)
    data = DecisionInput(uuid.uuid4(), outcome, next_review_on, **kwargs)
    decision = decisions.record(by, meeting, child.id, data)
    db.session.commit()
    return decision


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))
