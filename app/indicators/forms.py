"""The form that asks for the list of followed children: the passphrase of its archive is
posted, never put in an address."""

from wtforms import HiddenField, PasswordField, StringField

from app.core.forms import StrictForm


class ChildListForm(StrictForm):
    passphrase = PasswordField()
    format = StringField()
    # The page's period and school, as in its address.
    period = HiddenField()
    start = HiddenField()
    end = HiddenField()
    school = HiddenField()
