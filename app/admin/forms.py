"""Forms of the schools, classes and children pages."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from app.core.forms import PlausibleDate, StrictForm

REQUIRED = _l("This field is required.")
LANGUAGES = [
    SelectChoice("kk", _l("Kazakh")),
    SelectChoice("ru", _l("Russian")),
    SelectChoice("ar", _l("Arabic")),
    SelectChoice("en", _l("English")),
]


class SchoolForm(StrictForm):
    name = StringField(_l("School name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    district = StringField(_l("District"), validators=[DataRequired(REQUIRED), Length(max=120)])
    region = StringField(_l("Region"), validators=[DataRequired(REQUIRED), Length(max=120)])


class ClassForm(StrictForm):
    grade = IntegerField(
        _l("Grade"),
        validators=[
            InputRequired(REQUIRED),  # not DataRequired: grade 0 is a real grade
            NumberRange(0, 11, message=_l("The grade must be from 0 to 11.")),
        ],
    )
    letter = StringField(_l("Letter"), validators=[DataRequired(REQUIRED), Length(max=8)])
    language = SelectField(_l("Language of instruction"), choices=LANGUAGES[:2] + LANGUAGES[3:])
    academic_year = StringField(
        _l("Academic year"),
        validators=[
            DataRequired(REQUIRED),
            Regexp(r"^[0-9]{4}-[0-9]{4}$", message=_l("Write the academic year like 2026-2027.")),
        ],
    )


class ChildForm(StrictForm):
    family_name = StringField(
        _l("Family name"), validators=[DataRequired(REQUIRED), Length(max=100)]
    )
    given_name = StringField(_l("Given name"), validators=[DataRequired(REQUIRED), Length(max=100)])
    patronymic = StringField(_l("Patronymic"), validators=[Optional(), Length(max=100)])
    birth_date = DateField(
        _l("Date of birth"), validators=[DataRequired(_l("Enter a valid date.")), PlausibleDate()]
    )
    sex = SelectField(
        _l("Sex"), choices=[SelectChoice("F", _l("Girl")), SelectChoice("M", _l("Boy"))]
    )
    class_id = SelectField(_l("Class"), validators=[DataRequired(REQUIRED)])
    home_languages = StringField(_l("Home languages"), validators=[Optional(), Length(max=64)])
    needs_language_support = BooleanField(_l("Needs language support"))


class MoveForm(StrictForm):
    class_id = SelectField(_l("New class"), validators=[DataRequired(REQUIRED)])
    on = DateField(
        _l("From"), validators=[DataRequired(_l("Enter a valid date.")), PlausibleDate()]
    )


class LeaveForm(StrictForm):
    on = DateField(
        _l("Left on"), validators=[DataRequired(_l("Enter a valid date.")), PlausibleDate()]
    )
