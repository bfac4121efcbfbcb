"""The forms of plans and language support. Each takes only its own fields (StrictForm); the
values are checked by the services, in the teacher's language (app/plans/checks.py)."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.core.forms import StrictForm
from app.plans.models import (
    GIVEN_BY_MAX,
    GOAL_MAX,
    LEVEL_DESCRIPTIONS,
    REVIEW_MAX,
    SESSION_LANGUAGE_LABELS,
    SESSION_NOTE_MAX,
    STATUS_LABELS,
    SUPPORT_MAX,
    TERMS,
    WITH_WHOM_MAX,
)

INSTRUCTION_LANGUAGE_LABELS = {"kk": _l("Kazakh"), "ru": _l("Russian")}


def _terms() -> list[SelectChoice]:
    return [SelectChoice(str(n), _l("Term %(number)d", number=n)) for n in TERMS]


class GoalForm(StrictForm):
    goal = TextAreaField(
        _l("Goal"),
        description=_l("What the child will be able to do, in a sentence or two."),
        render_kw={"maxlength": GOAL_MAX, "rows": 3},
    )
    support = TextAreaField(
        _l("Support given"),
        description=_l("For example: sessions with an Arabic-speaking specialist, extra lessons."),
        render_kw={"maxlength": SUPPORT_MAX, "rows": 3},
    )
    given_by = StringField(_l("Who gives it"), render_kw={"maxlength": GIVEN_BY_MAX})
    target_term = SelectField(_l("Target term"), choices=_terms(), validate_choice=False)
    status = RadioField(
        _l("Status"),
        choices=[SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()],
        validate_choice=False,
    )
    version = HiddenField()


class ReviewForm(StrictForm):
    review_id = HiddenField()
    term = SelectField(_l("Term"), choices=_terms(), validate_choice=False)
    reviewed_on = StringField(_l("Date of the review"), render_kw={"type": "date"})
    note = TextAreaField(
        _l("What the review found"),
        description=_l("Progress towards the goals this term, and what changes next."),
        render_kw={"maxlength": REVIEW_MAX, "rows": 4},
    )


class LevelForm(StrictForm):
    term = HiddenField()  # chosen by a link: the version is that term's level's
    level = RadioField(
        _l("Level"),
        choices=[
            SelectChoice(str(n), _l("%(level)d: %(text)s", level=n, text=t))
            for n, t in LEVEL_DESCRIPTIONS.items()
        ],
        validate_choice=False,
    )
    language = SelectField(
        _l("Language of instruction"),
        choices=[SelectChoice(code, label) for code, label in INSTRUCTION_LANGUAGE_LABELS.items()],
        validate_choice=False,
    )
    version = HiddenField()


class SessionForm(StrictForm):
    session_id = HiddenField()
    held_on = StringField(_l("Date"), render_kw={"type": "date"})
    minutes = StringField(
        _l("Minutes"), render_kw={"inputmode": "numeric", "pattern": "[0-9]*", "maxlength": 3}
    )
    with_whom = StringField(
        _l("With whom"),
        description=_l("For example: Arabic-speaking specialist, class teacher."),
        render_kw={"maxlength": WITH_WHOM_MAX},
    )
    language = SelectField(
        _l("Language used"),
        choices=[SelectChoice(code, label) for code, label in SESSION_LANGUAGE_LABELS.items()],
        validate_choice=False,
    )
    note = StringField(_l("Note (optional)"), render_kw={"maxlength": SESSION_NOTE_MAX})
