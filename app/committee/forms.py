"""The committee's forms: the review interval, a meeting, a decision with its actions. The
forms read what was typed; the services hold the rules (app/committee/decisions.py)."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from app.children.casefile_forms import DAMAGED, VALID_DATE
from app.committee.models import (
    ASSIGNEE_LABELS,
    MINUTES_LANGUAGES,
    OUTCOME_LABELS,
    SERVICE_LABELS,
)
from app.core.forms import PlausibleDate, StrictForm
from app.i18n.locale import LANGUAGE_NAMES

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
ACTION_ROWS = 3


def _choices(labels: dict, empty=None) -> list[SelectChoice]:
    first = [SelectChoice("", empty)] if empty is not None else []
    return first + [SelectChoice(member.value, label) for member, label in labels.items()]


class IntervalForm(StrictForm):
    months = IntegerField(
        _l("Review every (months)"),
        validators=[
            InputRequired(_l("Enter a number of months from 1 to 24.")),
            NumberRange(1, 24, _l("Enter a number of months from 1 to 24.")),
        ],
    )


class MeetingForm(StrictForm):
    held_on = DateField(
        _l("Date of the meeting"), validators=[DataRequired(VALID_DATE), PlausibleDate()]
    )
    place = StringField(
        _l("Place"),
        validators=[
            DataRequired(_l("Say where the meeting is held.")),
            Length(max=200, message=_l("At most 200 characters.")),
        ],
    )
    chair = SelectField(_l("Chair"), validators=[Optional()], validate_choice=False)
    members = SelectMultipleField(
        _l("Members present"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,  # the service checks they are the district's members
    )
    # Each language named in itself, as the language switch does. A form sent without it keeps
    # the default the view gives: the meeting's language, or the creating member's.
    language = SelectField(
        _l("Language of the minutes"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in MINUTES_LANGUAGES],
    )


class AgendaAddForm(StrictForm):
    child_id = HiddenField(validators=[Regexp(UUID_PATTERN, message=DAMAGED)])


class MoveForm(StrictForm):
    direction = HiddenField(validators=[Regexp(r"^(up|down)$", message=DAMAGED)])


class EmptyForm(StrictForm):
    """A button's form: only its CSRF token."""


class ActionForm(StrictForm):
    class Meta:
        csrf = False

    what = StringField(_l("What is to be done"))
    assignee = SelectField(
        _l("Who"), choices=_choices(ASSIGNEE_LABELS, _l("Choose who")), default=""
    )
    assignee_name = StringField(_l("Name of the other service"))
    due_on = DateField(_l("By when"), validators=[Optional(), PlausibleDate()])


class DecisionForm(StrictForm):
    # Made by the page: the same decision sent twice is recorded once.
    decision_id = HiddenField(validators=[Regexp(UUID_PATTERN, message=DAMAGED)])
    # The decision this one corrects (empty: the first decision at this meeting).
    corrects = HiddenField(validators=[Optional(), Regexp(UUID_PATTERN, message=DAMAGED)])
    outcome = RadioField(
        _l("Outcome"),
        choices=_choices(OUTCOME_LABELS),
        validators=[InputRequired(_l("Choose the outcome."))],
    )
    service = SelectField(
        _l("Service (for a referral)"),
        choices=_choices(SERVICE_LABELS, _l("No referral")),
        default="",
    )
    note = TextAreaField(_l("Note"), render_kw={"rows": 4})
    next_review_on = DateField(
        _l("Next review date"), validators=[DataRequired(VALID_DATE), PlausibleDate()]
    )
    actions = FieldList(FormField(ActionForm), min_entries=ACTION_ROWS, max_entries=ACTION_ROWS)
