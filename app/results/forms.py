"""The administration's forms for subjects and subject teachers."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from app.core.forms import StrictForm
from app.results.models import FIRST_GRADE, LAST_GRADE

REQUIRED = _l("This field is required.")
GRADES = NumberRange(FIRST_GRADE, LAST_GRADE, message=_l("The grade must be from 1 to 11."))


def _name(label) -> StringField:
    return StringField(label, validators=[DataRequired(REQUIRED), Length(max=120)])


class SubjectForm(StrictForm):
    name_en = _name(_l("Name in English"))
    name_kk = _name(_l("Name in Kazakh"))
    name_ru = _name(_l("Name in Russian"))
    name_ar = _name(_l("Name in Arabic"))
    grade_from = IntegerField(_l("From grade"), validators=[InputRequired(REQUIRED), GRADES])
    grade_to = IntegerField(_l("To grade"), validators=[InputRequired(REQUIRED), GRADES])

    def validate_grade_to(self, field) -> None:
        first, last = self.grade_from.data, field.data
        if first is not None and last is not None and last < first:
            raise ValidationError(_l("The last grade cannot come before the first."))


class SubjectTeacherForm(StrictForm):
    subject = SelectField(_l("Subject"), validate_choice=True)
    teacher = SelectField(_l("Teacher"), validate_choice=True)
