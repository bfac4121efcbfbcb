"""A child's page and timeline, and a committee member's district."""

import uuid

from flask import Blueprint, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.auth.models import Role
from app.auth.permissions import role_required
from app.children import access
from app.children.district import Filters, Sort, district_classes, district_page
from app.children.district_forms import DistrictFilters, DistrictSearch
from app.children.models import Child, School, SchoolClass
from app.children.page import render_child_page
from app.children.review import render_review_summary
from app.children.timeline import timeline
from app.core import clock
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.loading import load
from app.core.paging import page_number
from app.core.security import RESTRICTED_HEADER
from app.extensions import db
from app.i18n.locale import current_language

bp = Blueprint("children", __name__, template_folder="templates")


@bp.get("/children/<uuid:child_id>")
@role_required(*access.RECORD_ROLES)
def child(child_id: uuid.UUID):
    child = load(Child, child_id, access.may_open)
    audit("view", "child", child.id)
    page = render_child_page(child)
    db.session.commit()
    return page


@bp.get("/children/<uuid:child_id>/timeline")
@role_required(*access.RECORD_ROLES)
def child_timeline(child_id: uuid.UUID):
    child = load(Child, child_id, access.may_open)
    today = clock.today()
    since = clock.academic_year_start(today)
    items = timeline(current_user, child, since)
    audit("view_timeline", "child", child.id)
    page = make_response(
        render_template("children/timeline.html", child=child, items=items, since=since)
    )
    if any(item.restricted for item in items):
        page.headers[RESTRICTED_HEADER] = "1"  # the service worker keeps no copy of it
    db.session.commit()
    return page


@bp.get("/children/<uuid:child_id>/review")
@role_required(*access.BACKGROUND_ROLES)
def review_summary(child_id: uuid.UUID):
    """What happened since the last review: casework, so teachers and administrators get 404."""
    child = load(Child, child_id, access.may_open)
    audit("view_review_summary", "child", child.id)
    page = render_review_summary(child)
    db.session.commit()
    return page


@bp.route("/district", methods=["GET", "POST"])
@role_required(Role.COMMITTEE_MEMBER)
def district():
    """The district's children: found by name, filtered, sorted, a page at a time.

    The filters that are ids and fixed words (school, class, followed, sort, page) come in a
    GET's URL, which may be kept and shared. A name typed in the search box is a child's
    personal data, and a URL ends in server logs and the browser's history: the form is
    POSTed (CSRF-checked) and the results rendered in its answer, with no redirect that would
    carry the name in a Location; while a name is searched the pager posts the same fields
    again (hidden) with the page wanted. A GET that carries a name is refused (400)."""
    lang = current_language()
    classes = district_classes(current_user, lang)
    form = DistrictSearch() if request.method == "POST" else DistrictFilters(request.args)
    _offer(form, classes)
    if not form.validate():
        raise InvalidInput(
            _("This list cannot be filtered that way. Choose the filters again."), status=400
        )
    filters = _filters(form, classes)
    page = district_page(current_user, lang, filters, page_number(form.page.data or ""))
    if filters.name:
        audit("search", "child")  # as the roster's search: that one was made, not the name
    html = render_template(
        "children/district.html",
        page=page,
        district=current_user.district,
        form=form,
        schools=_schools(classes),
        classes=classes,
        filters=filters,
        args=_url_args(filters),
    )
    db.session.commit()
    return html


def _offer(form: DistrictFilters, classes: list[SchoolClass]) -> None:
    """The choices of the form's selects: the district's schools and current classes."""
    form.school.choices = [SelectChoice("", _("All schools"))] + [
        SelectChoice(str(school.id), school.name) for school in _schools(classes)
    ]
    # Every class of the district, so that one chosen before another school is not refused.
    form.school_class.choices = [SelectChoice("", _("All classes"))] + [
        SelectChoice(str(c.id), c.name, optgroup=c.school.name) for c in classes
    ]


def _schools(classes: list[SchoolClass]) -> list[School]:
    return list({c.school_id: c.school for c in classes}.values())


def _filters(form: DistrictFilters, classes: list[SchoolClass]) -> Filters:
    school_id = uuid.UUID(form.school.data) if form.school.data else None
    class_id = uuid.UUID(form.school_class.data) if form.school_class.data else None
    school_of = {c.id: c.school_id for c in classes}
    if school_id is not None and class_id is not None and school_of[class_id] != school_id:
        # Another school was chosen after the class, without script: the class is dropped.
        class_id, form.school_class.data = None, ""
    name = form.name.data.strip() if isinstance(form, DistrictSearch) else ""
    return Filters(name, school_id, class_id, form.followed.data, form.sort.data)


def _url_args(filters: Filters) -> dict[str, str]:
    """The filters for the pager's links (never the name: it is never in a URL)."""
    args = {
        "school": filters.school_id,
        "school_class": filters.class_id,
        "followed": "y" if filters.followed_only else None,
        "sort": filters.sort.value if filters.sort is not Sort.NAME else None,
    }
    return {key: str(value) for key, value in args.items() if value}
