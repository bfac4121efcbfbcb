"""The incident report and its follow-up. The report asks about groups of people, never for
anyone's name; its one free-text field says so."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp, StopValidation

from app.children.casefile_forms import DAMAGED, VALID_DATE, MultiCheckboxField
from app.core.forms import PlausibleDate, StrictForm
from app.incidents.models import (
    INVOLVED_LABELS,
    KIND_LABELS,
    PLACE_LABELS,
    REFERRAL_LABELS,
    SEVERITY_LABELS,
    Status,
)
from app.incidents.services import TEXT_MAX

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
NO_NAMES = _l(
    "Do not write the names of other children or of anyone else involved: say what was done, "
    "by whom only as a role (a teacher, the class)."
)


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(member.value, label) for member, label in labels.items()]


def _at_least_one(message):
    def check(form, field) -> None:
        # Not DataRequired: that would mark every checkbox `required`, as if all were needed.
        if not field.data:
            raise StopValidation(message)

    return check


class ReportForm(StrictForm):
    # Made by the page (and anew by its script): the same report sent twice is saved once.
    report_id = HiddenField(validators=[Regexp(UUID_PATTERN, message=DAMAGED)])
    occurred_on = DateField(
        _l("When did it happen?"), validators=[DataRequired(VALID_DATE), PlausibleDate()]
    )
    place = RadioField(
        _l("Where did it happen?"),
        choices=_choices(PLACE_LABELS),
        validators=[DataRequired(_l("Choose where it happened."))],
    )
    involved = MultiCheckboxField(
        _l("Who was involved?"),
        choices=_choices(INVOLVED_LABELS),
        description=_l("Choose groups of people only. No names are asked for."),
        validators=[_at_least_one(_l("Choose who was involved."))],
    )
    what_happened = MultiCheckboxField(
        _l("What happened?"),
        choices=_choices(KIND_LABELS),
        validators=[_at_least_one(_l("Choose what happened."))],
    )
    severity = RadioField(
        _l("How serious was it?"),
        choices=_choices(SEVERITY_LABELS),
        description=_l("A serious incident puts the child on the committee's next review list."),
        validators=[DataRequired(_l("Choose how serious it was."))],
    )
    immediate_action = TextAreaField(
        _l("What was done at once (optional)"),
        description=NO_NAMES,
        validators=[Optional(), Length(max=TEXT_MAX)],
        render_kw={"rows": 4, "maxlength": TEXT_MAX},
    )


class ActionForm(StrictForm):
    note = TextAreaField(
        _l("Action taken"),
        validators=[DataRequired(_l("Write what was done.")), Length(max=TEXT_MAX)],
        render_kw={"rows": 3, "maxlength": TEXT_MAX},
    )


class ReferralForm(StrictForm):
    referral_to = SelectField(_l("Referred to"), choices=_choices(REFERRAL_LABELS))
    referral_note = TextAreaField(
        _l("Note (optional)"),
        validators=[Optional(), Length(max=TEXT_MAX)],
        render_kw={"rows": 2, "maxlength": TEXT_MAX},
    )


class StatusForm(StrictForm):
    # The version the person saw: a change on top of someone else's is refused.
    version = HiddenField(validators=[Regexp(r"^\d{1,9}$", message=DAMAGED)])
    status_to = HiddenField(validators=[AnyOf([s.value for s in Status], message=DAMAGED)])
    status_note = TextAreaField(
        _l("Note (optional)"),
        validators=[Optional(), Length(max=TEXT_MAX)],
        render_kw={"rows": 2, "maxlength": TEXT_MAX},
    )
