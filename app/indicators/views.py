"""The district's indicators page: committee members only, their own district, optionally
one of its schools; the period and the school are ids and dates in the address, nothing
personal. Parse, call the queries, render."""

import uuid

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.models import Role
from app.auth.permissions import role_required
from app.children.models import School
from app.committee.services import is_member
from app.core import clock
from app.core.audit import refuse
from app.core.errors import InvalidInput
from app.extensions import db
from app.indicators import period as periods
from app.indicators import queries, tables

bp = Blueprint("indicators", __name__, template_folder="templates")


@bp.get("/indicators")
@role_required(Role.COMMITTEE_MEMBER)
def index():
    if not is_member(current_user):
        refuse("page", request.endpoint)
    today = clock.today()
    args = request.args
    chosen = periods.chosen(args.get("period"), args.get("from"), args.get("to"), today)
    schools = district_schools(current_user.district)
    school = _school(args.get("school"), schools)
    children = queries.scope(current_user, school.id if school else None)
    # A period yet to begin has no figures: the page says so rather than count zeros.
    future = chosen.starts_on > today
    figures = [] if future else tables.build(children, chosen, today)
    return render_template(
        "indicators/index.html",
        period=chosen,
        previous=chosen.previous(),
        kind=args.get("period") or periods.Kind.TERM,
        schools=schools,
        school=school,
        tables=figures,
        future=future,
        nothing_recorded=not future and tables.nothing_recorded(figures),
    )


def district_schools(district: str) -> list[School]:
    """The district's schools (archived ones too: their past figures still count)."""
    statement = select(School).where(School.district == district).order_by(School.name, School.id)
    return list(db.session.scalars(statement))


def _school(raw: str | None, schools: list[School]) -> School | None:
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
