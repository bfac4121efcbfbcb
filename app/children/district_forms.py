"""The filters of the committee's district list. Each form takes only its own fields."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from app.children.district import Sort
from app.core.forms import StrictForm

SORT_LABELS = {
    Sort.NAME: _l("Name"),
    Sort.CLASS: _l("Class"),
    # TRANSLATORS: an order of the district's list: the children the committee follows first.
    Sort.FOLLOWED: _l("Followed first"),
}


class DistrictFilters(StrictForm):
    """Ids and fixed words only: a GET carries them in its URL (?school=…&sort=class&page=2)."""

    class Meta:
        csrf = False  # read-only; a POST is checked by the app's CSRFProtect all the same

    school = SelectField(_l("School"), choices=[], default="")
    school_class = SelectField(_l("Class"), choices=[], default="")
    # TRANSLATORS: a filter of the district's list: only the children the committee follows.
    followed = BooleanField(_l("Followed only"))
    sort = SelectField(
        _l("Sort by"),
        choices=[SelectChoice(value, label) for value, label in SORT_LABELS.items()],
        default=Sort.NAME,
        coerce=Sort,
    )
    page = StringField(default="1")


class DistrictSearch(DistrictFilters):
    """The filters and a name typed: posted, so that the name is in no URL, log or history."""

    name = StringField(_l("Name"), validators=[Length(max=100)])
