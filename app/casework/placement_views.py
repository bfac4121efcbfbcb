"""The child's social worker records a new placement; the history stays as it was."""

import uuid

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role
from app.auth.permissions import role_required
from app.casework import placements
from app.casework.blueprint import bp, case_child
from app.casework.forms import PlacementForm
from app.casework.models import PlacementKind
from app.casework.placements import Caregiver, PlacementValues
from app.core import clock
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.extensions import db
from app.pwa.client import RESTRICTED_HEADER


@bp.route("/children/<uuid:child_id>/placements/new", methods=["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def new_placement(child_id: uuid.UUID):
    child = case_child(child_id)
    current = placements.current_placement(child.id)
    form = PlacementForm()
    if not form.is_submitted():
        form = PlacementForm(
            formdata=None,
            starts_on=clock.today(),
            district=current.district if current else "",
        )
        return _page(child, current, form)
    if not form.validate():
        return _page(child, current, form, 422)
    try:
        placement = placements.record_placement(child, current_user, _values(form), clock.today())
    except InvalidInput as error:
        db.session.rollback()
        return _page(child, current, form, error.status, str(error.message))
    audit("create", "placement", placement.id)
    audit("placement_create", "child", child.id)
    db.session.commit()
    flash(_("The placement is recorded."), "success")
    return redirect(url_for("children.child", child_id=child.id, _anchor="placements"), code=303)


def _values(form: PlacementForm) -> PlacementValues:
    caregivers = [
        Caregiver(
            name=entry.form.name.data.strip(),
            relationship=(entry.form.relationship.data or "").strip(),
            phone=(entry.form.phone.data or "").strip(),
        )
        for entry in form.caregivers
        if (entry.form.name.data or "").strip()
    ]
    return PlacementValues(
        kind=PlacementKind(form.kind.data),
        starts_on=form.starts_on.data,
        district=(form.district.data or "").strip(),
        social_worker_id=current_user.id,
        monthly_months=form.monthly_months.data,
        then_every_months=form.then_every_months.data,
        caregivers=caregivers,
    )


def _page(child, current, form, status: int = 200, error: str | None = None):
    page = render_template(
        "casework/placement_form.html", child=child, current=current, form=form, error=error
    )
    return page, status, {RESTRICTED_HEADER: "1"}  # never kept on a phone
