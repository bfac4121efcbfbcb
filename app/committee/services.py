"""The committee's meetings, their agendas and the district's review interval. Writes flush,
never commit; the rules of who may see what are here, the refusals in the views."""

import uuid
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.auth.models import Role, User
from app.children import access
from app.children.models import Child, SchoolClass
from app.committee.models import (
    DEFAULT_INTERVAL_MONTHS,
    MINUTES_LANGUAGES,
    AgendaItem,
    Decision,
    DistrictSetting,
    Meeting,
)
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.extensions import db


def is_member(user: User) -> bool:
    return user.role is Role.COMMITTEE_MEMBER and bool(user.district)


def may_see_meeting(user: User, meeting: Meeting) -> bool:
    """A meeting is its district's committee's only (app/core/loading.py's may_see)."""
    return is_member(user) and meeting.district == user.district


def interval_months(district: str) -> int:
    setting = db.session.get(DistrictSetting, district)
    return setting.review_interval_months if setting else DEFAULT_INTERVAL_MONTHS


def set_interval(user: User, months: int) -> None:
    setting = db.session.get(DistrictSetting, user.district)
    if setting is None:
        setting = DistrictSetting(district=user.district)
        db.session.add(setting)
    setting.review_interval_months = months
    setting.updated_by_id = user.id
    audit("committee_interval", "district_setting")
    db.session.flush()


def district_members(district: str) -> list[User]:
    """The active committee members of the district, by name."""
    statement = select(User).where(
        User.role == Role.COMMITTEE_MEMBER, User.district == district, User.active.is_(True)
    )
    return list(db.session.scalars(statement.order_by(User.display_name, User.id)))


@dataclass(frozen=True)
class MeetingDetails:
    held_on: date
    place: str
    chair_id: uuid.UUID | None
    member_ids: list[uuid.UUID]
    language: str = MINUTES_LANGUAGES[0]


def minutes_language(page_language: str) -> str:
    """A new meeting's minutes are in its creator's language, Kazakh if that is not one of
    the minutes' languages (English)."""
    return page_language if page_language in MINUTES_LANGUAGES else MINUTES_LANGUAGES[0]


def _members(district: str, details: MeetingDetails) -> tuple[User | None, list[User]]:
    """The chair and the members present, who must be the district's committee members."""
    by_id = {member.id: member for member in district_members(district)}
    wanted = [*details.member_ids, *([details.chair_id] if details.chair_id else [])]
    if any(member_id not in by_id for member_id in wanted):
        raise InvalidInput(_("Choose members of this district's committee."), status=422)
    chair = by_id[details.chair_id] if details.chair_id else None
    return chair, [by_id[member_id] for member_id in details.member_ids]


def create_meeting(user: User, details: MeetingDetails) -> Meeting:
    chair, members = _members(user.district, details)
    meeting = Meeting(district=user.district, created_by_id=user.id)
    _describe(meeting, details, chair, members)
    db.session.add(meeting)
    db.session.flush()
    audit("committee_meeting", "committee_meeting", meeting.id)
    return meeting


def update_meeting(user: User, meeting: Meeting, details: MeetingDetails) -> None:
    chair, members = _members(meeting.district, details)
    _describe(meeting, details, chair, members)
    audit("committee_meeting", "committee_meeting", meeting.id)
    db.session.flush()


def _describe(meeting: Meeting, details: MeetingDetails, chair, members) -> None:
    meeting.held_on = details.held_on
    meeting.place = details.place.strip()
    meeting.language = details.language
    meeting.chair = chair
    meeting.members = members


def meetings_of(user: User, today: date) -> tuple[list[Meeting], list[Meeting]]:
    """The district's upcoming meetings (soonest first) and past ones (latest first)."""
    statement = (
        select(Meeting)
        .where(Meeting.district == user.district)
        .options(selectinload(Meeting.chair))
    )
    meetings = list(db.session.scalars(statement.order_by(Meeting.held_on, Meeting.created_at)))
    upcoming = [meeting for meeting in meetings if meeting.held_on >= today]
    past = [meeting for meeting in reversed(meetings) if meeting.held_on < today]
    return upcoming, past


def agenda_counts(meeting_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    statement = (
        select(AgendaItem.meeting_id, func.count())
        .where(AgendaItem.meeting_id.in_(meeting_ids))
        .group_by(AgendaItem.meeting_id)
    )
    return dict(db.session.execute(statement).all()) if meeting_ids else {}


def agenda_of(meeting: Meeting) -> list[AgendaItem]:
    """The agenda in order, with each child's class and school: three queries."""
    statement = (
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position, AgendaItem.id)
        .options(
            selectinload(AgendaItem.child)
            .selectinload(Child.school_class)
            .selectinload(SchoolClass.school)
        )
    )
    return list(db.session.scalars(statement))


def on_agenda(meeting: Meeting):
    return select(AgendaItem.child_id).where(AgendaItem.meeting_id == meeting.id)


def add_to_agenda(user: User, meeting: Meeting, child_id: uuid.UUID) -> AgendaItem:
    """Put a child of the district at the end of the agenda; once only."""
    if not access.can_reach(user, child_id):
        raise InvalidInput(_("This child is not one of your district's children."), status=404)
    taken = select(AgendaItem.id).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.child_id == child_id
    )
    if db.session.scalar(taken) is not None:
        raise InvalidInput(_("This child is already on the agenda."), status=409)
    last = select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
    position = (db.session.scalar(last) or 0) + 1
    item = AgendaItem(meeting_id=meeting.id, child_id=child_id, position=position)
    db.session.add(item)
    audit("committee_agenda", "child", child_id)
    db.session.flush()
    return item


def agenda_item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise InvalidInput(_("This child is not on this meeting's agenda."), status=404)
    return item


def move(meeting: Meeting, item: AgendaItem, up: bool) -> None:
    """Swap the item with the one before (up) or after it; at either end, nothing moves."""
    items = agenda_of(meeting)
    index = items.index(item)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items, start=1):
        each.position = position
    audit("committee_agenda", "child", item.child_id)
    db.session.flush()


def remove(meeting: Meeting, item: AgendaItem) -> None:
    decided = select(Decision.id).where(
        Decision.meeting_id == meeting.id, Decision.child_id == item.child_id
    )
    if db.session.scalar(decided.limit(1)) is not None:
        raise InvalidInput(
            _("A decision is recorded for this child at this meeting: they stay on the agenda."),
            status=409,
        )
    db.session.delete(item)
    audit("committee_agenda", "child", item.child_id)
    db.session.flush()
