"""A form that accepts only its own fields; the window a date typed in a form must fall in."""

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField
from wtforms.validators import StopValidation

from app.core.errors import InvalidInput

REFUSED = _l(
    "This form was sent with something it does not take, so nothing was saved. "
    "Please reload the page and try again."
)


class StrictForm(FlaskForm):
    """Refuses a submission that carries any name other than its fields' (and the CSRF token).

    Posting a field the person may not set (their own role, a class, a child's id) is not
    quietly ignored: validation raises InvalidInput (400), the error page says nothing was
    saved and the request's unit of work is rolled back.

    A template that gives a submit button a name lists it in `button_names`.
    """

    button_names: frozenset[str] = frozenset()
    posted_unstorable = False

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        formdata = self.meta.wrap_formdata(self, formdata)
        self.posted_names = frozenset(formdata.keys()) if formdata is not None else frozenset()
        self.posted_unstorable = formdata is not None and any(
            isinstance(value, str) and not storable(value)
            for name in formdata
            for value in formdata.getlist(name)
        )
        super().process(formdata, obj, data=data, extra_filters=extra_filters, **kwargs)

    def validate(self, extra_validators=None) -> bool:
        if self.unexpected_names() or self.posted_unstorable:
            raise InvalidInput(REFUSED, status=400)
        return super().validate(extra_validators)

    def unexpected_names(self) -> frozenset[str]:
        if self._parent_form is not None:
            return frozenset()  # a form inside another: the outermost one checks every name
        # The page's token is posted as plain "csrf_token" whatever the form's prefix.
        token = {self.meta.csrf_field_name}
        return self.posted_names - _names(self) - self.button_names - token


def storable(value: str) -> bool:
    """Neither a NUL character (PostgreSQL's text cannot hold one) nor half of a UTF-16 pair
    (JSON's "\\ud800" alone, which is no character in UTF-8): no keyboard types either, and
    a form or a sync op that carries one is refused rather than failing in the database."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _names(fields) -> set[str]:
    """Every name the form's fields read, those of nested forms and lists included."""
    names: set[str] = set()
    for field in fields:
        if isinstance(field, Field):
            names.add(field.name)
        if isinstance(field, FormField | FieldList):
            names |= _names(field)
    return names


# Every date Qadam records (a visit, an incident, a consent, a placement, a birth, a case
# closed, a next visit agreed) falls in this window; "0001-01-01" is a slip of the keyboard.
# Whether a date may be in the future is each record's own rule, checked where it is written.
EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2099, 12, 31)


def date_out_of_range() -> str:
    return _(
        "Enter a date from %(earliest)s to %(latest)s.",
        earliest=format_date(EARLIEST_DATE),
        latest=format_date(LATEST_DATE),
    )


def is_plausible_date(day: date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


def check_plausible_date(day: date) -> None:
    """InvalidInput (422) for a date outside the window: for values that come without a form."""
    if not is_plausible_date(day):
        raise InvalidInput(date_out_of_range())


class PlausibleDate:
    """A form's date field holds a date inside the window (an empty field is left to others)."""

    def __call__(self, form, field) -> None:
        if field.data is not None and not is_plausible_date(field.data):
            raise StopValidation(date_out_of_range())
