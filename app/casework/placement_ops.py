"""New placements recorded on a phone: the "placement" kind of sync op (create only).

payload: {"child_id", "kind", "starts_on", "district", "monthly_months",
"then_every_months", "caregivers": [{"name", "relationship", "phone"}, …]} (at most three
caregivers). The op's record_id is the placement's id, made on the phone. The payload is
checked by the online form itself, so a phone is held to exactly the same rules; a
placement arrives exactly once: an id this person already used for this child is the same
placement (sent from the form, then again from the outbox), an id used otherwise is refused.
"""

from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import FieldList

from app.auth.models import User
from app.casework import placements
from app.casework.forms import CAREGIVER_ROWS, PlacementForm
from app.casework.models import Placement, PlacementKind
from app.casework.placements import Caregiver, PlacementValues
from app.children import access
from app.children.models import Child
from app.core import clock
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.loading import load_for_op
from app.extensions import db
from app.sync.registry import Op, Outcome, register

KIND = "placement"
FIELDS = ("kind", "starts_on", "district", "monthly_months", "then_every_months")
CAREGIVER_FIELDS = ("name", "relationship", "phone")


def register_kind() -> None:
    register(KIND, apply_placement_op)


def apply_placement_op(user: User, op: Op) -> Outcome:
    refusal = _("This child is not in your caseload.")
    child = load_for_op(user, Child, op.payload.get("child_id"), access.in_caseload, refusal)
    existing = db.session.get(Placement, op.record_id)
    if existing is not None:
        if not placements.same_placement(existing, child, user):
            raise InvalidInput(
                _("This placement's id is already used. Discard it and record it again."),
                status=409,
            )
        return _outcome(existing)  # already received (sent from the form before)
    form = _checked_form(op)
    values = values_of(form, user)
    placement = placements.record_placement(child, user, values, clock.today(), op.record_id)
    audit("create_sync", "placement", placement.id)
    audit("placement_create_sync", "child", child.id)
    return _outcome(placement)


def values_of(form: PlacementForm, user: User) -> PlacementValues:
    """The placement a valid form describes, followed by `user`."""
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
        social_worker_id=user.id,
        monthly_months=form.monthly_months.data,
        then_every_months=form.then_every_months.data,
        caregivers=caregivers,
    )


def _checked_form(op: Op) -> PlacementForm:
    """The online form filled with the payload and validated; its first error otherwise."""
    form = PlacementForm(formdata=_formdata(op), meta={"csrf": False})
    if form.validate():
        return form
    label, error = next(_errors(form), (None, None))
    if label is None:
        raise InvalidInput(_("This entry is incomplete or damaged."))
    raise InvalidInput(_("%(field)s: %(error)s", field=label, error=error))


def _errors(form: Any) -> Iterator[tuple[str, str]]:
    """(label, first message) of each field in error, caregivers' fields included."""
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                yield from _errors(entry.form)
        elif field.errors:
            yield str(field.label.text), str(field.errors[0])


def _formdata(op: Op) -> MultiDict:
    payload = op.payload
    caregivers = payload.get("caregivers", [])
    if not isinstance(caregivers, list) or len(caregivers) > CAREGIVER_ROWS:
        raise InvalidInput(_("This entry is incomplete or damaged."))
    data: dict[str, str] = {"placement_id": str(op.record_id)}
    try:
        data |= {name: _text(payload.get(name)) for name in FIELDS}
        for n, caregiver in enumerate(caregivers):
            data |= {f"caregivers-{n}-{k}": _text(caregiver.get(k)) for k in CAREGIVER_FIELDS}
    except (AttributeError, TypeError) as error:
        raise InvalidInput(_("This entry is incomplete or damaged.")) from error
    return MultiDict(data)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError("a text or a number was expected")
    return str(value)


def _outcome(placement: Placement) -> Outcome:
    return Outcome("applied", {"id": str(placement.id), "version": placement.version})
