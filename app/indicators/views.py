"""The district's indicators page: committee members only, their own district, optionally
one of its schools; the period and the school are ids and dates in the address, nothing
personal. Parse, call the queries, render."""

from flask import render_template, request
from flask_login import current_user

from app.auth.models import Role
from app.auth.permissions import role_required
from app.committee.services import is_member
from app.core import clock
from app.core.audit import refuse
from app.indicators import period as periods
from app.indicators import queries, tables, upwards
from app.indicators.blueprint import bp, district_schools
from app.indicators.blueprint import chosen_school as _school


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
    built = [] if future else tables.build(children, chosen, today)
    return render_template(
        "indicators/index.html",
        period=chosen,
        previous=chosen.previous(),
        kind=args.get("period") or periods.Kind.TERM,
        schools=schools,
        school=school,
        tables=[(table, upwards.exact(table)) for table in built],
        future=future,
        nothing_recorded=not future and tables.nothing_recorded(built),
    )
