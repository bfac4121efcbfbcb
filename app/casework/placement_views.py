"""The child's social worker records a new placement; the history stays as it was.

The blank form is also kept on the social worker's phone (see sync.views.offline_pages): it
holds the child's name, the current placement's kind and start date, and the form. A form
sent back with the person's input (caregivers' names and phones) is never kept.
"""

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.auth.models import Role
from app.auth.permissions import role_required
from app.casework import placements
from app.casework.blueprint import bp
from app.casework.forms import PlacementForm
from app.casework.models import Placement
from app.casework.placement_ops import values_of
from app.children import access
from app.children.models import Child
from app.core import clock
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.loading import load
from app.extensions import db
from app.pwa.client import RESTRICTED_HEADER

ID_TAKEN = _l("This placement could not be saved under its id. Reload the form and try again.")


@bp.route("/children/<uuid:child_id>/placements/new", methods=["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def new_placement(child_id: uuid.UUID):
    child = load(Child, child_id, access.in_caseload)
    current = placements.current_placement(child.id)
    form = PlacementForm()
    if not form.is_submitted():
        return _blank_page(child, current)
    if not form.validate():
        return _page(child, current, form, 422)
    placement_id = uuid.UUID(form.placement_id.data) if form.placement_id.data else uuid.uuid4()
    existing = db.session.get(Placement, placement_id)
    if existing is not None:  # the same form sent twice (a retry): the first one counts
        if not placements.same_placement(existing, child, current_user):
            return _page(child, current, form, 409, str(ID_TAKEN))
        return _recorded(child)
    try:
        placement = placements.record_placement(
            child, current_user, values_of(form, current_user), clock.today(), placement_id
        )
    except InvalidInput as error:
        db.session.rollback()
        return _page(child, current, form, error.status, str(error.message))
    except IntegrityError:  # the same id saved by a parallel request in the same instant
        db.session.rollback()
        return _page(child, current, form, 409, str(ID_TAKEN))
    audit("create", "placement", placement.id)
    audit("placement_create", "child", child.id)
    db.session.commit()
    return _recorded(child)


def _recorded(child):
    flash(_("The placement is recorded."), "success")
    return redirect(url_for("children.child", child_id=child.id, _anchor="placements"), code=303)


def _blank_page(child, current):
    # A copy for the phone leaves out the current placement's district (where the child
    # lives); on screen it is offered as the likely one.
    offline_copy = request.headers.get("X-Qadam-Purpose") == "offline-copy"
    district = current.district if current and not offline_copy else ""
    form = PlacementForm(
        formdata=None,
        placement_id=str(uuid.uuid4()),
        starts_on=clock.today(),
        district=district,
    )
    audit("view_placement_form", "child", child.id)  # "offline_copy" when saved on a phone
    page = render_template(
        "casework/placement_form.html", child=child, current=current, form=form, blank=True
    )
    db.session.commit()
    return page, 200, {"Vary": "X-Qadam-Purpose"}


def _page(child, current, form, status: int = 200, error: str | None = None):
    page = render_template(
        "casework/placement_form.html", child=child, current=current, form=form, error=error
    )
    return page, status, {RESTRICTED_HEADER: "1"}  # the person's input: never kept on a phone
