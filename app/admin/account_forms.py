"""Forms of the account pages. Choices are closed lists: a value not offered is refused."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.auth.models import ROLE_LABELS, Role
from app.core.forms import StrictForm
from app.i18n.locale import LANGUAGE_NAMES

ROLE_CHOICES = [SelectChoice(role.value, ROLE_LABELS[role]) for role in Role]
# Each language in its own name, as on the language switch.
LANGUAGE_CHOICES = [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]


class ProfileForm(StrictForm):
    display_name = StringField(
        _l("Name shown in the app"),
        validators=[DataRequired(message=_l("Enter a name.")), Length(max=120)],
    )
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    preferred_language = SelectField(_l("Language of the app"), choices=LANGUAGE_CHOICES)


class NewUserForm(ProfileForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(message=_l("Enter an email address.")), Length(max=254)],
    )


class ClassesForm(StrictForm):
    """The classes a teacher teaches; the view sets the choices to the current classes."""

    class_ids = SelectMultipleField(_l("Classes"), choices=[], validate_choice=True)


class DistrictForm(StrictForm):
    """The view sets the choices: no district, or one of the schools' districts."""

    district = SelectField(_l("District"), choices=[])
