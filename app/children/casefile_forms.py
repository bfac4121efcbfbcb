"""Forms of a child's background, consent records and case. Each takes only its own fields."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from app.children.background import (
    REPRESENTATIVE_LABELS,
    SCOPE_LABELS,
    ConsentScope,
    Representative,
    ReturnedFrom,
)
from app.core.forms import PlausibleDate, StrictForm

VALID_DATE = _l("Enter a valid date.")
# A hidden field the page filled in came back changed.
DAMAGED = _l("This form is damaged. Please reload the page and try again.")
NOTES_MAX = 5000


class BackgroundForm(StrictForm):
    # The version the person started from: a save on top of someone else's is refused.
    version = HiddenField(validators=[Regexp(r"^\d{1,9}$", message=DAMAGED)])
    returned_from = SelectField(_l("Came home from"), choices=[], default="")
    returned_on = DateField(_l("Came home on"), validators=[Optional(), PlausibleDate()])
    family_situation = TextAreaField(
        _l("Family situation"), validators=[Length(max=NOTES_MAX)], render_kw={"rows": 5}
    )
    parents_legal_notes = TextAreaField(
        _l("Legal notes about the parents"),
        validators=[Length(max=NOTES_MAX)],
        render_kw={"rows": 5},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Territory names in the reader's language: built per request, not at import.
        self.returned_from.choices = [SelectChoice("", _l("Not recorded"))] + [
            SelectChoice(place.value, place.label) for place in ReturnedFrom
        ]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _at_least_one(field) -> None:
    # Not DataRequired: that would mark every checkbox `required`, as if all were needed.
    if not field.data:
        raise StopValidation(_l("Choose at least one thing the consent covers."))


class ConsentForm(StrictForm):
    given_on = DateField(
        _l("Consent given on"), validators=[DataRequired(VALID_DATE), PlausibleDate()]
    )
    scope = MultiCheckboxField(
        _l("Consent covers"),
        choices=[SelectChoice(scope.value, SCOPE_LABELS[scope]) for scope in ConsentScope],
        validators=[lambda form, field: _at_least_one(field)],
    )
    representative = SelectField(
        _l("Given by"),
        choices=[SelectChoice(who.value, REPRESENTATIVE_LABELS[who]) for who in Representative],
        description=_l("The legal representative's relationship to the child."),
    )
    document_reference = StringField(
        _l("Document reference"),
        validators=[Length(max=100)],
        description=_l("For example the number of a notarised form."),
    )


class WithdrawForm(StrictForm):
    withdrawn_on = DateField(
        _l("Withdrawn on"), validators=[DataRequired(VALID_DATE), PlausibleDate()]
    )


class CaseForm(StrictForm):
    action = HiddenField(validators=[AnyOf(["close", "reopen"], message=DAMAGED)])
    closed_on = DateField(_l("Case closed on"), validators=[PlausibleDate()])  # not to reopen

    def validate_closed_on(self, field) -> None:
        if self.action.data == "close" and field.data is None:
            raise StopValidation(VALID_DATE)
