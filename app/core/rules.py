"""Rules a value must keep, shared by the web forms and the sync payload models.

A rule takes a plain value and returns it checked, or raises RuleBroken with the translated
message a person sees; Malformed means the value is not even of the right type (a client
bug: the caller answers its own "damaged" message). A web form's field and a phone's op are
held to the same rule and refused with the same words, without turning one into the other.

The generic rules below refuse in WTForms' own words (translated by WTForms' catalogue),
exactly as the form fields with the same limits do.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.i18n import translations as wtforms_words
from wtforms.validators import ValidationError

from app.core.forms import date_out_of_range, is_plausible_date, storable

VALID_DATE = _l("Enter a valid date.")
# WTForms' words come from WTForms' own catalogue: named so that they are not extracted into
# ours (babel looks for calls named gettext and ngettext).
wtforms_text = wtforms_words.gettext
wtforms_plural = wtforms_words.ngettext


class Malformed(ValueError):
    """A value of the wrong type or shape: no person typed it."""


class RuleBroken(ValueError):
    """A value breaks a rule; `message` is translated, `label` names the field it is in."""

    def __init__(self, message: Any, label: Any = None):
        super().__init__(str(message))
        self.message = message
        self.label = label

    def text(self) -> str:
        if not self.label:
            return str(self.message)
        return str(_l("%(field)s: %(error)s", field=self.label, error=self.message))


def labelled(rule: Callable[[Any], Any], label: Any) -> Callable[[Any], Any]:
    """`rule`, its refusals naming the field `label` (as a form's first error does)."""

    def check(value: Any) -> Any:
        try:
            return rule(value)
        except RuleBroken as broken:
            raise RuleBroken(broken.message, broken.label or label) from broken

    return check


def text(value: Any) -> str:
    """A text as a form posts it: a text, a number written out, or nothing ("")."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise Malformed("a text was expected")
    if isinstance(value, str) and not storable(value):
        raise Malformed("a text no database can store")
    return str(value)


def at_most(limit: int) -> Callable[[Any], str]:
    """A text of at most `limit` characters (WTForms' Length(max=limit))."""

    def check(value: Any) -> str:
        value = text(value)
        if len(value) > limit:
            message = wtforms_plural(
                "Field cannot be longer than %(max)d character.",
                "Field cannot be longer than %(max)d characters.",
                limit,
            )
            raise RuleBroken(message % {"max": limit, "min": -1, "length": len(value)})
        return value

    return check


def one_of(values: Iterable[str], required: Any = None) -> Callable[[Any], str]:
    """One of `values` (a choice field); nothing chosen is refused with `required` if given."""
    allowed = frozenset(values)

    def check(value: Any) -> str:
        value = text(value)
        if required is not None and value == "":
            raise RuleBroken(required)
        if value not in allowed:
            raise RuleBroken(wtforms_text("Not a valid choice."))
        return value

    return check


def whole_number(low: int, high: int) -> Callable[[Any], int]:
    """A whole number from `low` to `high` that must be given (WTForms' IntegerField with
    InputRequired and NumberRange)."""

    def check(value: Any) -> int:
        value = text(value)
        if value == "":
            raise RuleBroken(wtforms_text("This field is required."))
        try:
            number = int(value)
        except ValueError as error:
            raise RuleBroken(wtforms_text("Not a valid integer value.")) from error
        if not low <= number <= high:
            message = wtforms_text("Number must be between %(min)s and %(max)s.")
            raise RuleBroken(message % {"min": low, "max": high})
        return number

    return check


def plausible_day(value: Any, required: bool = True) -> date | None:
    """A day written YYYY-MM-DD inside Qadam's window of dates; "" is no day (refused if
    `required`, as a DateField with DataRequired is)."""
    value = text(value)
    if value == "" and not required:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as error:
        if required:
            raise RuleBroken(VALID_DATE) from error
        raise RuleBroken(wtforms_text("Not a valid date value.")) from error
    if not is_plausible_date(day):
        raise RuleBroken(date_out_of_range())
    return day


def wire_day(required: bool = True) -> Callable[[Any], str]:
    """A day as a phone sends it: "YYYY-MM-DD" checked by plausible_day, or "" if optional."""

    def check(value: Any) -> str:
        day = plausible_day(value, required)
        return day.isoformat() if day else ""

    return check


class Obeys:
    """A form field held to `rule` (a WTForms validator): the web form and the phone's op
    run the same check and refuse in the same words."""

    def __init__(self, rule: Callable[[Any], Any]):
        self.rule = rule

    def __call__(self, form, field) -> None:
        value = field.raw_data[0] if field.raw_data else field.data
        try:
            self.rule(value)
        except Malformed as malformed:
            raise ValidationError(wtforms_text("Invalid input.")) from malformed
        except RuleBroken as broken:
            raise ValidationError(str(broken.message)) from broken
