"""Forms accept only the fields the role may edit (issue 5, point 3): app.core.forms.StrictForm."""

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField, StringField

from app.core.errors import InvalidInput
from app.core.forms import StrictForm


class NoteForm(StrictForm):
    class Meta:
        csrf = False

    note = StringField()


class Address(StrictForm):
    class Meta:
        csrf = False

    city = StringField()


class NestedForm(StrictForm):
    class Meta:
        csrf = False

    address = FormField(Address)
    phones = FieldList(StringField(), min_entries=1)


def test_a_form_with_only_its_own_fields_validates(app):
    with app.test_request_context(method="POST", data={"note": "x"}):
        assert NoteForm().validate()


@pytest.mark.parametrize("extra", ["role", "class_id", "user_id", "note2"])
def test_a_form_refuses_a_field_it_does_not_have(app, extra):
    posted = {"note": "x", extra: "1"}
    with app.test_request_context(method="POST", data=posted), pytest.raises(InvalidInput) as no:
        NoteForm().validate()
    assert no.value.status == 400


def test_a_prefixed_form_takes_only_its_prefixed_names(app):
    with app.test_request_context(method="POST", data={"n-note": "x"}):
        assert NoteForm(prefix="n").validate()
    with app.test_request_context(method="POST", data={"note": "x"}), pytest.raises(InvalidInput):
        NoteForm(prefix="n").validate()


def test_nested_forms_and_lists_take_their_own_names(app):
    data = {"address-city": "Алматы", "phones-0": "1", "phones-1": "2"}
    with app.test_request_context(method="POST", data=data):
        assert NestedForm().validate()
    tampered = {**data, "address-role": "x"}
    with app.test_request_context(method="POST", data=tampered), pytest.raises(InvalidInput):
        NestedForm().validate()


def test_named_submit_buttons_are_accepted_when_listed(app):
    class WithButton(NoteForm):
        button_names = frozenset({"save"})

    with app.test_request_context(method="POST", data={"note": "x", "save": ""}):
        assert WithButton().validate()


def test_explicit_formdata_is_checked_too(app):
    tampered = MultiDict({"note": "x", "role": "administrator"})
    with app.test_request_context(), pytest.raises(InvalidInput):
        NoteForm(formdata=tampered).validate()


def test_a_form_shown_empty_has_nothing_unexpected(app):
    with app.test_request_context():
        form = NoteForm(formdata=None, note="x")
        assert form.unexpected_names() == frozenset()
