"""Marking a task: done with a note, or blocked with the reason. The form reads what was typed;
the service holds the rules (app/tasks/services.py)."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Regexp

from app.children.casefile_forms import DAMAGED
from app.core.forms import StrictForm
from app.tasks.models import TaskStatus

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class MarkForm(StrictForm):
    # Made with the page (and again by its script on the phone): the same mark sent twice is one.
    mark_id = HiddenField(validators=[Regexp(UUID_PATTERN, message=DAMAGED)])
    # The task's version the person saw: a mark over a newer one is not applied.
    version = IntegerField(validators=[InputRequired(DAMAGED)])
    status = RadioField(
        _l("The task is"),
        choices=[
            SelectChoice(TaskStatus.DONE.value, _l("Done")),
            SelectChoice(TaskStatus.BLOCKED.value, _l("Blocked")),
        ],
        validators=[InputRequired(_l("Choose whether the task is done or blocked."))],
    )
    # TRANSLATORS: a note on a task marked done (what was done) or blocked (why).
    note = TextAreaField(_l("What was done, or why it is blocked"))
