"""Visit reports: reads, writes (flush only), and the plain "wire" values a phone sends.

A report's fields travel as wire values: text stripped, a date as "YYYY-MM-DD" or "", a
rating or choice as its value ("" for not assessed), the agreed actions as a list of
{"what", "who", "by_when"}. The same values are compared in the offline three-way merge.
"""

import uuid
from datetime import date
from typing import Annotated, Any

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, BeforeValidator, ConfigDict, create_model
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.auth.models import User
from app.casework.forms import (
    ACTION_FIELDS,
    ACTION_ROWS,
    CHOOSE_OUTCOME,
    MAX_LENGTH,
    VISIT_FIELDS,
    VisitReportForm,
)
from app.casework.models import (
    CHECKS,
    NOTE_MAX,
    Rating,
    VisitAction,
    VisitKind,
    VisitOutcome,
    VisitReport,
)
from app.casework.placements import placement_on
from app.casework.visit_tasks import follow_actions
from app.children.models import Child
from app.core import rules
from app.core.errors import InvalidInput
from app.core.models import utcnow
from app.extensions import db
from app.sync import payload as payloads
from app.sync.payload import Payload, rule

CHECK_FIELDS = [f"{item}_{part}" for item in CHECKS for part in ("rating", "note")]
FIELDS = ["kind", "visited_on", "present", *CHECK_FIELDS, "outcome", "next_visit_on", "actions"]
DATE_FIELDS = {"visited_on", "next_visit_on"}
# A field's wire value when nothing was entered: a new report sent from a phone holds only
# the fields that differ from it.
BLANK: dict[str, Any] = {name: [] if name == "actions" else "" for name in FIELDS}
CHOICES = {"kind": VisitKind, "outcome": VisitOutcome}
CHOICES |= {f"{item}_rating": Rating for item in CHECKS}


class EditConflict(Exception):
    """Someone else saved the report since the person began editing; nothing was written."""


def reports_of(child_id: uuid.UUID) -> list[VisitReport]:
    statement = (
        select(VisitReport)
        .where(VisitReport.child_id == child_id)
        .order_by(VisitReport.visited_on.desc(), VisitReport.created_at.desc())
        .options(selectinload(VisitReport.author))
    )
    return list(db.session.scalars(statement))


def report(report_id: uuid.UUID) -> VisitReport | None:
    return db.session.get(VisitReport, report_id)


# -- wire values ----------------------------------------------------------------------------


def to_wire(name: str, value: Any) -> Any:
    if name == "actions":
        return [
            {"what": a.what, "who": a.who, "by_when": a.by_when.isoformat() if a.by_when else ""}
            for a in value
        ]
    if name in DATE_FIELDS:
        return value.isoformat() if value else ""
    if name in CHOICES:
        return value.value if value else ""
    return value or ""


def from_wire(name: str, value: Any) -> Any:
    """A checked wire value (see wire_of_form) as the model holds it."""
    if name == "actions":
        return [
            VisitAction(
                position=n,
                what=a["what"],
                who=a["who"],
                by_when=date.fromisoformat(a["by_when"]) if a["by_when"] else None,
            )
            for n, a in enumerate(value)
        ]
    if name in DATE_FIELDS:
        return date.fromisoformat(value) if value else None
    if name in CHOICES:
        return CHOICES[name](value) if value else None
    return value


def wire_of(record: VisitReport) -> dict[str, Any]:
    return {name: to_wire(name, getattr(record, name)) for name in FIELDS}


def wire_of_form(form: VisitReportForm) -> dict[str, Any]:
    """The wire values of a validated form."""
    values = {}
    for name in FIELDS:
        if name == "actions":
            values[name] = [
                {
                    "what": (entry.what.data or "").strip(),
                    "who": (entry.who.data or "").strip(),
                    "by_when": entry.by_when.data.isoformat() if entry.by_when.data else "",
                }
                for entry in form.actions
                if (entry.what.data or "").strip()
            ]
        elif name in DATE_FIELDS:
            day = form[name].data
            values[name] = day.isoformat() if day else ""
        else:  # line ends as a phone's script reads them
            values[name] = (form[name].data or "").replace("\r\n", "\n").strip()
    return values


class WireView:
    """A report seen through its wire values: what app.sync.merge reads and writes, as `user`.

    Every change touches the report's own row, so its version moves on also when only the
    agreed actions (rows of their own) changed.
    """

    def __init__(self, record: VisitReport, user: User):
        object.__setattr__(self, "record", record)
        object.__setattr__(self, "user", user)

    @property
    def id(self) -> uuid.UUID:
        return self.record.id

    @property
    def version(self) -> int:
        return self.record.version

    def __getattr__(self, name: str) -> Any:
        return to_wire(name, getattr(self.record, name))

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.record, name, from_wire(name, value))
        self.record.updated_by_id = self.user.id
        self.record.updated_at = utcnow()
        if name == "visited_on":
            relink_placement(self.record)


# -- checks and writes ----------------------------------------------------------------------


def check(form: VisitReportForm, today: date) -> dict[str, Any]:
    """The form's wire values, or InvalidInput with the first problem."""
    if not form.validate():
        field, errors = next(iter(form.errors.items()))
        message = errors[0] if isinstance(errors, list) and errors else errors
        if not isinstance(message, str):  # a nested form's errors
            message = _l("Some of what you entered could not be accepted.")
        label = form[field].label.text if field in form and form[field].label.text else ""
        if label:
            message = _l("%(field)s: %(error)s", field=label, error=message)
        raise InvalidInput(message)
    values = wire_of_form(form)
    check_dates(values, today)
    return values


def check_dates(values: dict[str, Any], today: date) -> None:
    visited = date.fromisoformat(values["visited_on"])
    if visited > today:
        raise InvalidInput(_l("A visit cannot be dated in the future."))
    if values["next_visit_on"] and date.fromisoformat(values["next_visit_on"]) <= visited:
        raise InvalidInput(_l("The next visit must come after this one."))


def check_wire(values: dict[str, Any], today: date) -> dict[str, Any]:
    """A whole report's wire values sent by a phone, checked by the online form's rules
    (see WireValues); normalised as wire_of_form normalises the form's."""
    checked = payloads.read(WireValues, values)
    wire = {name: _normal(getattr(checked, name)) for name in FIELDS if name != "actions"}
    wire["actions"] = [
        {"what": a.what.strip(), "who": a.who.strip(), "by_when": a.by_when}
        for a in checked.actions
        if a.what.strip()
    ]
    check_dates(wire, today)
    return wire


def _normal(value: str) -> str:
    return value.replace("\r\n", "\n").strip()


def _text_rule(limit: int, label: Any):
    return rule(rules.at_most(limit), label)


def _rows(value: Any) -> Any:
    """The agreed actions: a list of rows, of which the form reads the first ACTION_ROWS."""
    if not isinstance(value, list):
        raise rules.Malformed("a list was expected")
    return value[:ACTION_ROWS]


class ActionValues(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    what: Annotated[str, _text_rule(MAX_LENGTH["what"], ACTION_FIELDS["what"])] = ""
    who: Annotated[str, _text_rule(MAX_LENGTH["who"], ACTION_FIELDS["who"])] = ""
    by_when: Annotated[str, rule(rules.wire_day(required=False), ACTION_FIELDS["by_when"])] = ""


def _choice(enum, label, required=None):
    return Annotated[str, rule(rules.one_of([m.value for m in enum], required), label)]


class _ReportValues(Payload):
    """The wire values of a whole report, in the form's order (its first error is told)."""

    kind: _choice(VisitKind, VISIT_FIELDS["kind"])
    visited_on: Annotated[str, rule(rules.wire_day(), VISIT_FIELDS["visited_on"])]
    present: Annotated[str, _text_rule(MAX_LENGTH["present"], VISIT_FIELDS["present"])]
    outcome: _choice(VisitOutcome, VISIT_FIELDS["outcome"], CHOOSE_OUTCOME)
    next_visit_on: Annotated[
        str, rule(rules.wire_day(required=False), VISIT_FIELDS["next_visit_on"])
    ]
    actions: Annotated[list[ActionValues], BeforeValidator(_rows)]


RATINGS = ["", *(rating.value for rating in Rating)]
WireValues = create_model(
    "VisitReportValues",
    __base__=_ReportValues,
    **{
        name: field
        for item, label in CHECKS.items()
        for name, field in (
            (f"{item}_rating", (Annotated[str, rule(rules.one_of(RATINGS), label)], ...)),
            (f"{item}_note", (Annotated[str, _text_rule(NOTE_MAX, label)], ...)),
        )
    },
)


def create_report(
    report_id: uuid.UUID, child: Child, user: User, values: dict[str, Any]
) -> VisitReport:
    if child.anonymised_at is not None:
        raise InvalidInput(_l("This record has been anonymised; it can no longer be changed."))
    visited_on = date.fromisoformat(values["visited_on"])
    placement = placement_on(child.id, visited_on)
    record = VisitReport(
        id=report_id,
        child_id=child.id,
        placement_id=placement.id if placement else None,
        author_id=user.id,
        updated_by_id=user.id,
    )
    with db.session.no_autoflush:
        for name in FIELDS:
            setattr(record, name, from_wire(name, values[name]))
        db.session.add(record)
    db.session.flush()
    follow_actions(record)
    return record


def edit_report(record: VisitReport, user: User, version: int, values: dict[str, Any]) -> None:
    """Save the person's values over `version`; someone else's save meanwhile: EditConflict."""
    if record.version != version:
        raise EditConflict()
    try:
        with db.session.no_autoflush:
            view = WireView(record, user)
            for name in FIELDS:
                if getattr(view, name) != values[name]:
                    setattr(view, name, values[name])
        db.session.flush()
    except (StaleDataError, IntegrityError) as error:
        raise EditConflict() from error
    follow_actions(record)


def relink_placement(record: VisitReport) -> None:
    """A report belongs to the placement the child was in on the day of the visit."""
    placement = placement_on(record.child_id, record.visited_on)
    record.placement_id = placement.id if placement else None
