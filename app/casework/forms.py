"""Forms of placements and visit reports. Each takes only its own fields."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, Regexp

from app.casework.models import (
    CHECKS,
    NOTE_MAX,
    OUTCOME_LABELS,
    PLACEMENT_LABELS,
    RATING_LABELS,
    VISIT_KIND_LABELS,
)
from app.core.forms import PlausibleDate, StrictForm
from app.core.rules import Obeys, at_most

VALID_DATE = _l("Enter a valid date.")
DAMAGED = _l("This form is damaged. Please reload the page and try again.")
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
CAREGIVER_ROWS = 3
ACTION_ROWS = 10
# Labels and limits of the fields, shared with the sync payloads (placement_ops, visits) so
# that a phone's value is refused in the same words as the form's.
PLACEMENT_FIELDS = {
    "kind": _l("Where the child lives"),
    "starts_on": _l("Since"),
    "district": _l("District"),
    "monthly_months": _l("Monthly visits for the first (months)"),
    "then_every_months": _l("Then a visit every (months)"),
}
CAREGIVER_FIELDS = {
    "name": _l("Name"),
    "relationship": _l("Relationship to the child"),
    "phone": _l("Phone"),
}
VISIT_FIELDS = {
    "kind": _l("Kind of contact"),
    "visited_on": _l("Date"),
    "present": _l("Who was present"),
    "outcome": _l("Overall outcome"),
    "next_visit_on": _l("Next visit"),
}
ACTION_FIELDS = {"what": _l("What"), "who": _l("Who"), "by_when": _l("By when")}
MAX_LENGTH = {
    "district": 120,
    "name": 200,
    "relationship": 100,
    "phone": 40,
    "present": 500,
    "what": 500,
    "who": 200,
}
MONTHLY_MONTHS = (0, 60)
THEN_EVERY_MONTHS = (1, 24)
CHOOSE_OUTCOME = _l("Choose the overall outcome.")


class CaregiverForm(StrictForm):
    class Meta:
        csrf = False

    name = StringField(CAREGIVER_FIELDS["name"], validators=[Obeys(at_most(MAX_LENGTH["name"]))])
    relationship = StringField(
        CAREGIVER_FIELDS["relationship"], validators=[Obeys(at_most(MAX_LENGTH["relationship"]))]
    )
    phone = StringField(
        CAREGIVER_FIELDS["phone"],
        validators=[Obeys(at_most(MAX_LENGTH["phone"]))],
        render_kw={"type": "tel"},
    )


class PlacementForm(StrictForm):
    # The placement's id, made by the page (or the phone), so a form sent twice makes one
    # placement. Optional: a client that sends none gets an id from the server.
    placement_id = HiddenField(validators=[Optional(), Regexp(UUID_PATTERN, message=DAMAGED)])
    kind = SelectField(
        PLACEMENT_FIELDS["kind"],
        choices=[SelectChoice(kind.value, label) for kind, label in PLACEMENT_LABELS.items()],
    )
    starts_on = DateField(
        PLACEMENT_FIELDS["starts_on"], validators=[DataRequired(VALID_DATE), PlausibleDate()]
    )
    district = StringField(
        PLACEMENT_FIELDS["district"], validators=[Obeys(at_most(MAX_LENGTH["district"]))]
    )
    monthly_months = IntegerField(
        PLACEMENT_FIELDS["monthly_months"],
        default=6,
        validators=[InputRequired(), NumberRange(*MONTHLY_MONTHS)],
    )
    then_every_months = IntegerField(
        PLACEMENT_FIELDS["then_every_months"],
        default=3,
        validators=[InputRequired(), NumberRange(*THEN_EVERY_MONTHS)],
    )
    caregivers = FieldList(
        FormField(CaregiverForm), min_entries=CAREGIVER_ROWS, max_entries=CAREGIVER_ROWS
    )


class ActionForm(StrictForm):
    class Meta:
        csrf = False

    what = StringField(ACTION_FIELDS["what"], validators=[Obeys(at_most(MAX_LENGTH["what"]))])
    who = StringField(ACTION_FIELDS["who"], validators=[Obeys(at_most(MAX_LENGTH["who"]))])
    by_when = DateField(ACTION_FIELDS["by_when"], validators=[Optional(), PlausibleDate()])


def _rating_choices() -> list:
    # TRANSLATORS: a checklist item that was not looked at during this visit.
    return [SelectChoice("", _l("Not assessed"))] + [
        SelectChoice(rating.value, label) for rating, label in RATING_LABELS.items()
    ]


class VisitReportForm(StrictForm):
    # The report's id, made by the page (or the phone), so a form sent twice makes one report.
    report_id = HiddenField(validators=[Regexp(UUID_PATTERN, message=DAMAGED)])
    # The version the person started from (0: a new report).
    version = HiddenField(validators=[Regexp(r"^\d{1,9}$", message=DAMAGED)], default="0")
    kind = RadioField(
        VISIT_FIELDS["kind"],
        choices=[SelectChoice(kind.value, label) for kind, label in VISIT_KIND_LABELS.items()],
        default="home_visit",
    )
    visited_on = DateField(
        VISIT_FIELDS["visited_on"], validators=[DataRequired(VALID_DATE), PlausibleDate()]
    )
    present = TextAreaField(
        VISIT_FIELDS["present"],
        validators=[Obeys(at_most(MAX_LENGTH["present"]))],
        render_kw={"rows": 2},
    )
    outcome = RadioField(
        VISIT_FIELDS["outcome"],
        choices=[SelectChoice(value.value, label) for value, label in OUTCOME_LABELS.items()],
        validators=[InputRequired(CHOOSE_OUTCOME)],
    )
    next_visit_on = DateField(
        VISIT_FIELDS["next_visit_on"], validators=[Optional(), PlausibleDate()]
    )
    actions = FieldList(FormField(ActionForm), min_entries=2, max_entries=ACTION_ROWS)


for _item in CHECKS:
    setattr(VisitReportForm, f"{_item}_rating", RadioField(choices=_rating_choices(), default=""))
    setattr(
        VisitReportForm,
        f"{_item}_note",
        TextAreaField(validators=[Obeys(at_most(NOTE_MAX))], render_kw={"rows": 2}),
    )
