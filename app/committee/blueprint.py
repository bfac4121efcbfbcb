"""The committee's blueprint, and what its pages share: committee members only, and only
their own district's meetings (404 otherwise, as if the page did not exist)."""

import uuid

from flask import Blueprint

from app.auth.models import Role
from app.auth.permissions import role_required
from app.committee import services
from app.committee.models import Meeting
from app.core.loading import load

bp = Blueprint("committee", __name__, template_folder="templates")
committee_only = role_required(Role.COMMITTEE_MEMBER)


def meeting_of(meeting_id: uuid.UUID) -> Meeting:
    """The meeting, if it is the reader's district's (a member with no district has none)."""
    return load(Meeting, meeting_id, services.may_see_meeting)
