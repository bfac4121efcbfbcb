"""New placements recorded on a phone: the "placement" kind of sync op (create only).

payload: {"child_id", "kind", "starts_on", "district", "monthly_months",
"then_every_months", "caregivers": [{"name", "relationship", "phone"}, …]} (at most three
caregivers). The op's record_id is the placement's id, made on the phone. The payload is
checked by the rules of the online form (the same limits and words, see app.core.rules), so a
phone is held to exactly the same rules; a placement arrives exactly once: an id this person
already used for this child is the same placement (sent from the form, then again from the
outbox), an id used otherwise is refused.
"""

import uuid
from datetime import date
from typing import Annotated, Any

from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from app.auth.models import User
from app.casework import placements
from app.casework.forms import (
    CAREGIVER_FIELDS,
    CAREGIVER_ROWS,
    MAX_LENGTH,
    MONTHLY_MONTHS,
    PLACEMENT_FIELDS,
    THEN_EVERY_MONTHS,
    PlacementForm,
)
from app.casework.models import Placement, PlacementKind
from app.casework.placements import Caregiver, PlacementValues
from app.children import access
from app.children.models import Child
from app.core import clock, rules
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.loading import load_for_op
from app.extensions import db
from app.sync.payload import Payload, rule
from app.sync.registry import Op, Outcome, SyncKind

KIND = "placement"


def _text(name: str, labels: dict) -> Any:
    return Annotated[str, rule(rules.at_most(MAX_LENGTH[name]), labels[name])]


def _required(kind: type, check, name: str) -> Any:
    """A field the form requires: checked when it is missing too (as the form's "")."""
    return Annotated[kind, rule(check, PLACEMENT_FIELDS[name]), Field(validate_default=True)]


class CaregiverValues(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    name: _text("name", CAREGIVER_FIELDS) = ""
    relationship: _text("relationship", CAREGIVER_FIELDS) = ""
    phone: _text("phone", CAREGIVER_FIELDS) = ""


class PlacementPayload(Payload):
    """A new placement, in the order of the form's fields (its first error is told)."""

    REQUIRED = ("kind", "starts_on", "monthly_months", "then_every_months")

    child_id: uuid.UUID
    kind: _required(PlacementKind, rules.one_of(k.value for k in PlacementKind), "kind") = None
    starts_on: _required(date, rules.plausible_day, "starts_on") = None
    district: _text("district", PLACEMENT_FIELDS) = ""
    monthly_months: _required(int, rules.whole_number(*MONTHLY_MONTHS), "monthly_months") = None
    then_every_months: _required(
        int, rules.whole_number(*THEN_EVERY_MONTHS), "then_every_months"
    ) = None
    caregivers: list[CaregiverValues] = Field(default_factory=list, max_length=CAREGIVER_ROWS)

    def values(self, user: User) -> PlacementValues:
        """The placement described, followed by `user`."""
        return PlacementValues(
            kind=PlacementKind(self.kind),
            starts_on=self.starts_on,
            district=self.district.strip(),
            social_worker_id=user.id,
            monthly_months=self.monthly_months,
            then_every_months=self.then_every_months,
            caregivers=[
                Caregiver(c.name.strip(), c.relationship.strip(), c.phone.strip())
                for c in self.caregivers
                if c.name.strip()
            ],
        )


def apply_placement_op(user: User, op: Op) -> Outcome:
    payload: PlacementPayload = op.payload
    refusal = _("This child is not in your caseload.")
    child = load_for_op(user, Child, payload.child_id, access.in_caseload, refusal)
    existing = db.session.get(Placement, op.record_id)
    if existing is not None:
        if not placements.same_placement(existing, child, user):
            raise InvalidInput(
                _("This placement's id is already used. Discard it and record it again."),
                status=409,
            )
        return _outcome(existing)  # already received (sent from the form before)
    values = payload.values(user)
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


SYNC_KINDS = (SyncKind(KIND, apply_placement_op, PlacementPayload, sealed=True),)


def _outcome(placement: Placement) -> Outcome:
    return Outcome("applied", {"id": str(placement.id), "version": placement.version})
