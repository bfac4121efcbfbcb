"""The demo district's committee: two past review meetings with their decisions and actions
(some done, some past their date and still open) and the next meeting in preparation, its
agenda drafted from the children followed who have not been reviewed yet. Written as the
records the meetings left, not through the forms, which refuse dates already past."""

import random
import uuid
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from app.auth.models import Role, User
from app.children.models import Child, caseload
from app.committee.decisions import follow_actions
from app.committee.models import (
    AgendaItem,
    Assignee,
    ChildReview,
    Decision,
    DecisionAction,
    Meeting,
    Outcome,
    Service,
)
from app.demo import names
from app.extensions import db
from app.tasks.models import TaskStatus

PLACE = "Аудандық әкімдік, 12-кабинет"
ALMATY = timezone(timedelta(hours=5))
# (outcome, service, note, actions: (what, who, service's name, days after the meeting)).
DECISIONS = (
    (
        Outcome.CONTINUE,
        None,
        "Ребёнок хорошо адаптируется; наблюдение продолжить по плану.",
        (("Посетить семью вместе с классным руководителем", Assignee.SOCIAL_WORKER, "", 30),),
    ),
    (
        Outcome.REFER,
        Service.PSYCHOLOGIST,
        "Жалобы на трудности со сном и тревогу.",
        (
            (
                "Записать ребёнка к психологу центра",
                Assignee.OTHER_SERVICE,
                "Центр психологической поддержки",
                21,
            ),
            ("Сообщить комиссии о результатах первой встречи", Assignee.SOCIAL_WORKER, "", 45),
        ),
    ),
    (
        Outcome.REFER,
        Service.EDUCATION_SUPPORT,
        "Отстаёт по чтению на казахском языке.",
        (("Организовать дополнительные занятия по казахскому языку", Assignee.SCHOOL, "", 14),),
    ),
    (
        Outcome.CHANGE_VISITS,
        None,
        "Семья переехала; посещения раз в месяц.",
        (("Согласовать с семьёй график посещений", Assignee.SOCIAL_WORKER, "", 10),),
    ),
    (
        Outcome.REFER,
        Service.SOCIAL_BENEFITS,
        "Опекун не получает пособие на ребёнка.",
        (("Помочь опекуну подать заявление на пособие", Assignee.SOCIAL_WORKER, "", 20),),
    ),
)


def add_committee(users: dict[Role, User], seed: int, today: date) -> int:
    """The meetings; returns how many decisions they took."""
    rng = random.Random(seed + 7)  # fictional; a stream of its own # nosec B311
    member, worker = users[Role.COMMITTEE_MEMBER], users[Role.SOCIAL_WORKER]
    followed = list(
        db.session.scalars(
            select(Child)
            .join(caseload, caseload.c.child_id == Child.id)
            .order_by(Child.family_name, Child.given_name)
        )
    )
    rng.shuffle(followed)
    first, second = today - timedelta(days=70), today - timedelta(days=28)
    decided = 0
    for held_on, children in ((first, followed[:5]), (second, followed[5:10])):
        decided += _meeting(member, worker, held_on, children, today, rng)
    upcoming = Meeting(
        district=names.DISTRICT,
        held_on=today + timedelta(days=14),
        place=PLACE,
        chair_id=member.id,
        created_by_id=member.id,
        members=[member],
    )
    upcoming.agenda = [
        AgendaItem(child_id=child.id, position=n) for n, child in enumerate(followed[10:14], 1)
    ]
    db.session.add(upcoming)
    db.session.flush()
    return decided


def _meeting(member: User, worker: User, held_on: date, children, today: date, rng) -> int:
    meeting = Meeting(
        district=names.DISTRICT,
        held_on=held_on,
        place=PLACE,
        chair_id=member.id,
        created_by_id=member.id,
        members=[member],
    )
    meeting.agenda = [AgendaItem(child_id=c.id, position=n) for n, c in enumerate(children, 1)]
    db.session.add(meeting)
    db.session.flush()
    recorded_at = datetime.combine(held_on, time(11, 30), ALMATY)
    for number, child in enumerate(children):
        outcome, service, note, actions = DECISIONS[number % len(DECISIONS)]
        decision = Decision(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            meeting_id=meeting.id,
            child_id=child.id,
            outcome=outcome,
            service=service,
            note=note,
            next_review_on=held_on + timedelta(days=91),
            recorded_by_id=member.id,
            recorded_at=recorded_at,
        )
        decision.actions = [
            _action(child, n, action, held_on) for n, action in enumerate(actions, 1)
        ]
        db.session.add(decision)
        db.session.flush()
        follow_actions(decision)  # each action a task on its assignee's list
        for action in decision.actions:
            _mark(action, worker, today, rng)
        db.session.add(
            ChildReview(
                child_id=child.id,
                decision_id=decision.id,
                decided_on=held_on,
                next_review_on=decision.next_review_on,
            )
        )
    return len(children)


def _action(child, position, action, held_on) -> DecisionAction:
    what, assignee, name, days = action
    return DecisionAction(
        child_id=child.id,
        position=position,
        what=what,
        assignee=assignee,
        assignee_name=name,
        due_on=held_on + timedelta(days=days),
    )


def _mark(action: DecisionAction, worker: User, today: date, rng) -> None:
    """Most of the social worker's actions past their date were done; some are still open,
    overdue, as in life; the schools' are left open."""
    if action.assignee is not Assignee.SCHOOL and action.due_on < today and rng.random() < 0.6:
        action.task.status = TaskStatus.DONE
        action.task.note = "Выполнено."
        action.task.marked_by_id = worker.id
        action.task.marked_at = datetime.combine(action.due_on, time(10), ALMATY)
