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
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from app.casework.models import (
    CHECKS,
    NOTE_MAX,
    OUTCOME_LABELS,
    PLACEMENT_LABELS,
    RATING_LABELS,
    VISIT_KIND_LABELS,
)
from app.core.forms import PlausibleDate, StrictForm

VALID_DATE = _l("Enter a valid date.")
DAMAGED = _l("This form is damaged. Please reload the page and try again.")
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
CAREGIVER_ROWS = 3
ACTION_ROWS = 10


class CaregiverForm(StrictForm):
    class Meta:
        csrf = False

    name = StringField(_l("Name"), validators=[Length(max=200)])
    relationship = StringField(_l("Relationship to the child"), validators=[Length(max=100)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)], render_kw={"type": "tel"})


class PlacementForm(StrictForm):
    # The placement's id, made by the page (or the phone), so a form sent twice makes one
    # placement. Optional: a client that sends none gets an id from the server.
    placement_id = HiddenField(validators=[Optional(), Regexp(UUID_PATTERN, message=DAMAGED)])
    kind = SelectField(
        _l("Where the child lives"),
        choices=[SelectChoice(kind.value, label) for kind, label in PLACEMENT_LABELS.items()],
    )
    starts_on = DateField(_l("Since"), validators=[DataRequired(VALID_DATE), PlausibleDate()])
    district = StringField(_l("District"), validators=[Length(max=120)])
    monthly_months = IntegerField(
        _l("Monthly visits for the first (months)"),
        default=6,
        validators=[InputRequired(), NumberRange(min=0, max=60)],
    )
    then_every_months = IntegerField(
        _l("Then a visit every (months)"),
        default=3,
        validators=[InputRequired(), NumberRange(min=1, max=24)],
    )
    caregivers = FieldList(
        FormField(CaregiverForm), min_entries=CAREGIVER_ROWS, max_entries=CAREGIVER_ROWS
    )


class ActionForm(StrictForm):
    class Meta:
        csrf = False

    what = StringField(_l("What"), validators=[Length(max=500)])
    who = StringField(_l("Who"), validators=[Length(max=200)])
    by_when = DateField(_l("By when"), validators=[Optional(), PlausibleDate()])


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
        _l("Kind of contact"),
        choices=[SelectChoice(kind.value, label) for kind, label in VISIT_KIND_LABELS.items()],
        default="home_visit",
    )
    visited_on = DateField(_l("Date"), validators=[DataRequired(VALID_DATE), PlausibleDate()])
    present = TextAreaField(
        _l("Who was present"), validators=[Length(max=500)], render_kw={"rows": 2}
    )
    outcome = RadioField(
        _l("Overall outcome"),
        choices=[SelectChoice(value.value, label) for value, label in OUTCOME_LABELS.items()],
        validators=[InputRequired(_l("Choose the overall outcome."))],
    )
    next_visit_on = DateField(_l("Next visit"), validators=[Optional(), PlausibleDate()])
    actions = FieldList(FormField(ActionForm), min_entries=2, max_entries=ACTION_ROWS)


for _item in CHECKS:
    setattr(VisitReportForm, f"{_item}_rating", RadioField(choices=_rating_choices(), default=""))
    setattr(
        VisitReportForm,
        f"{_item}_note",
        TextAreaField(validators=[Length(max=NOTE_MAX)], render_kw={"rows": 2}),
    )
