"""The indicators' blueprint, and what its pages and exports share: committee members only,
their own district, optionally one of its schools (404 otherwise, as if it did not exist)."""

import uuid

from flask import Blueprint
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import Role
from app.auth.permissions import role_required
from app.children.models import School
from app.core.errors import InvalidInput
from app.extensions import db

bp = Blueprint("indicators", __name__, template_folder="templates")
committee_only = role_required(Role.COMMITTEE_MEMBER)


def district_schools(district: str) -> list[School]:
    """The district's schools (archived ones too: their past figures still count)."""
    statement = select(School).where(School.district == district).order_by(School.name, School.id)
    return list(db.session.scalars(statement))


def chosen_school(raw: str | None, schools: list[School]) -> School | None:
    """The school chosen, which must be one of the reader's district (404 otherwise)."""
    if not raw:
        return None
    try:
        wanted = uuid.UUID(raw)
    except ValueError:
        wanted = None
    found = next((school for school in schools if school.id == wanted), None)
    if found is None:
        raise InvalidInput(_("This school is not one of your district's."), status=404)
    return found
