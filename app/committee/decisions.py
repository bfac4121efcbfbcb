"""Recording what the committee decided about a child at a meeting. A decision is never
edited: a correction is a new decision naming the one it corrects, which stays and is shown.
The same form sent twice (its id is made by the page) records one decision."""

import uuid
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.auth.models import User
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
from app.core import clock
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.extensions import db
from app.incidents.models import ReviewItem
from app.tasks import services as tasks
from app.tasks.models import TaskAssignee, TaskSource

NOTE_MAX = 2000
WHAT_MAX = 500
NAME_MAX = 200


@dataclass(frozen=True)
class ActionInput:
    what: str = ""
    assignee: Assignee | None = None
    assignee_name: str = ""
    due_on: date | None = None

    @property
    def empty(self) -> bool:
        return not (self.what.strip() or self.assignee or self.assignee_name.strip() or self.due_on)


@dataclass(frozen=True)
class DecisionInput:
    decision_id: uuid.UUID
    outcome: Outcome
    next_review_on: date
    service: Service | None = None
    note: str = ""
    actions: list[ActionInput] = field(default_factory=list)
    corrects_id: uuid.UUID | None = None


class AlreadyRecorded(Exception):
    """This very decision was recorded before (the form sent twice): nothing more to do."""

    def __init__(self, decision: Decision):
        super().__init__(str(decision.id))
        self.decision = decision


def history(meeting: Meeting, child_id: uuid.UUID) -> list[Decision]:
    """The child's decisions at the meeting, the first recorded first, with their actions."""
    statement = (
        select(Decision)
        .where(Decision.meeting_id == meeting.id, Decision.child_id == child_id)
        .order_by(Decision.recorded_at, Decision.id)
        .options(selectinload(Decision.actions), selectinload(Decision.recorded_by))
    )
    return list(db.session.scalars(statement))


def current(decisions: list[Decision]) -> Decision | None:
    """The decision no other corrects (the last of a chain of corrections)."""
    corrected = {decision.corrects_id for decision in decisions}
    standing = [decision for decision in decisions if decision.id not in corrected]
    return standing[-1] if standing else None


def decided_children(meeting: Meeting) -> set[uuid.UUID]:
    statement = select(Decision.child_id).where(Decision.meeting_id == meeting.id)
    return set(db.session.scalars(statement))


def on_agenda(meeting: Meeting, child_id: uuid.UUID) -> bool:
    statement = select(AgendaItem.id).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.child_id == child_id
    )
    return db.session.scalar(statement) is not None


def record(user: User, meeting: Meeting, child_id: uuid.UUID, data: DecisionInput) -> Decision:
    """Record the decision (or its correction), its actions, and where the child now stands in
    the review cycle. Refuses (InvalidInput, nothing written) what cannot be accepted."""
    _check_not_recorded(meeting, child_id, data.decision_id)
    if not on_agenda(meeting, child_id):
        raise InvalidInput(_("This child is not on this meeting's agenda."), status=404)
    _check_correction(meeting, child_id, data.corrects_id)
    _check(data, clock.today())
    decision = Decision(
        id=data.decision_id,
        meeting_id=meeting.id,
        child_id=child_id,
        outcome=data.outcome,
        service=data.service if data.outcome is Outcome.REFER else None,
        note=data.note.strip(),
        next_review_on=data.next_review_on,
        recorded_by_id=user.id,
        corrects_id=data.corrects_id,
        actions=[_action(child_id, n, action) for n, action in enumerate(_filled(data), 1)],
    )
    db.session.add(decision)
    db.session.flush()
    follow_actions(decision)
    _stand(meeting, decision)
    audit("committee_decision", "child", child_id)
    return decision


def _filled(data: DecisionInput) -> list[ActionInput]:
    return [action for action in data.actions if not action.empty]


def _action(child_id: uuid.UUID, position: int, action: ActionInput) -> DecisionAction:
    return DecisionAction(
        child_id=child_id,
        position=position,
        what=action.what.strip(),
        assignee=action.assignee,
        assignee_name=action.assignee_name.strip()
        if action.assignee is Assignee.OTHER_SERVICE
        else "",
        due_on=action.due_on,
    )


def follow_actions(decision: Decision) -> None:
    """Each action becomes a task on its assignee's list. A correction carries over the tasks of
    the decision it corrects that ask the same work (with what was done about them) and
    withdraws the others, so no task is left open twice."""
    previous = (
        tasks.of_source(TaskSource.DECISION, decision.corrects_id) if decision.corrects_id else []
    )
    specs = [
        tasks.TaskSpec(
            decision.child_id,
            action.what,
            TaskAssignee(action.assignee.value),
            action.assignee_name,
            action.due_on,
        )
        for action in decision.actions
    ]
    made = tasks.follow(TaskSource.DECISION, decision.id, specs, previous)
    for action, task in zip(decision.actions, made, strict=True):
        action.task = task
    db.session.flush()


def _check_not_recorded(meeting: Meeting, child_id: uuid.UUID, decision_id: uuid.UUID) -> None:
    recorded = db.session.get(Decision, decision_id)
    if recorded is None:
        return
    if recorded.meeting_id == meeting.id and recorded.child_id == child_id:
        raise AlreadyRecorded(recorded)
    raise InvalidInput(_("This form was already used. Please open it again."), status=409)


def _check_correction(meeting: Meeting, child_id: uuid.UUID, corrects_id) -> None:
    """A decision is recorded once; after that only a correction of the one standing, so two
    members recording at once never overwrite each other unseen."""
    standing = current(history(meeting, child_id))
    if (standing.id if standing else None) != corrects_id:
        raise InvalidInput(meanwhile(), status=409)


def meanwhile() -> str:
    return _(
        "Another decision was recorded for this child meanwhile. Nothing was saved; look again."
    )


def _check(data: DecisionInput, today: date) -> None:
    if data.outcome is Outcome.REFER and data.service is None:
        raise InvalidInput(_("Choose the service the child is referred to."))
    if len(data.note) > NOTE_MAX:
        raise InvalidInput(_("The note is too long."))
    if data.next_review_on <= today:
        raise InvalidInput(_("The next review date must be after today."))
    for action in _filled(data):
        _check_action(action, today)


def _check_action(action: ActionInput, today: date) -> None:
    if not action.what.strip() or len(action.what) > WHAT_MAX:
        raise InvalidInput(_("Say what is to be done in each action (at most 500 characters)."))
    if action.assignee is None:
        raise InvalidInput(_("Choose who carries out each action."))
    if action.assignee is Assignee.OTHER_SERVICE and not action.assignee_name.strip():
        raise InvalidInput(_("Name the service that carries out the action."))
    if len(action.assignee_name) > NAME_MAX:
        raise InvalidInput(_("The service's name is too long."))
    if action.due_on is None:
        raise InvalidInput(_("Give each action a date by which it is done."))
    if action.due_on < today:
        raise InvalidInput(_("An action's date cannot be in the past."))


def _stand(meeting: Meeting, decision: Decision) -> None:
    """The child's place in the review cycle follows their latest meeting's standing decision;
    their open serious incidents are now reviewed."""
    review = db.session.get(ChildReview, decision.child_id)
    if review is not None and review.decided_on > meeting.held_on:
        return  # a correction at an older meeting: a later decision stands
    if review is None:
        review = ChildReview(child_id=decision.child_id)
        db.session.add(review)
    review.decision_id = decision.id
    review.decided_on = meeting.held_on
    review.next_review_on = decision.next_review_on
    db.session.execute(
        update(ReviewItem)
        .where(ReviewItem.child_id == decision.child_id, ReviewItem.reviewed_at.is_(None))
        .values(reviewed_at=clock.now())
    )
    db.session.flush()
