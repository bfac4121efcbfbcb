"""Choosing a password (issue 5, point 5): 12 characters or more, no composition rules, not a
common or breached password, not the person's own name or address; the same rule everywhere."""

import secrets

import pytest
from flask_babel import force_locale
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select

from app.auth import resets
from app.auth.models import Role, User
from app.auth.password_policy import check_new_password, common_passwords
from app.auth.services import create_user
from app.core.errors import InvalidInput
from app.extensions import db
from tests.factories import PASSWORD, UserFactory

COMMON = "This password is too common"
PERSONAL = "not your name or email address"


def refusal(password: str, user_inputs=()) -> str:
    with pytest.raises(InvalidInput) as refused:
        check_new_password(password, user_inputs)
    return str(refused.value.message)


def post_reset(auth, email, code, password):
    data = {"email": email, "code": code, "password": password, "confirm": password}
    return auth.client.post("/password/reset", data={**data, "csrf_token": auth.csrf_token()})


def create_with_cli(runner, password):
    args = ["users", "create", "--email", "new@school.example", "--name", "Жаңа"]
    return runner.invoke(args=[*args, "--role", "teacher", "--password", password])


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


# -- the rule


def test_eleven_characters_are_refused_and_twelve_are_enough(app):
    assert "at least 12 characters" in refusal("x7#kq9!mzr2")
    check_new_password("x7#kq9!mzr2w")


def test_a_long_passphrase_of_plain_words_in_any_script_is_accepted(app):
    for passphrase in (PASSWORD, "біздің мектептің бақшасында алма піседі", "all lower case words"):
        check_new_password(passphrase, ["aigerim@school.example", "Айгерім Нұрланова"])


def test_a_common_password_is_refused_whatever_its_case(app):
    assert "qwerty123456" in common_passwords()
    for password in ("qwerty123456", "QWERTY123456", "QwErTy123456"):
        assert COMMON in refusal(password)


def test_a_common_word_with_digits_and_signs_around_it_or_repeated_is_refused(app):
    for password in ("Sunshine2026!!", "!!iloveyou1234", "monkeymonkeymonkey"):
        assert COMMON in refusal(password)


def test_the_list_is_bundled_and_read_once(app):
    passwords = common_passwords()
    assert len(passwords) > 19_000
    assert common_passwords() is passwords


def test_the_email_address_or_name_is_refused_as_a_password(app):
    person = ["Aigerim.Nurlanova@School.example", "Айгерім Нұрланова"]
    for password in (
        "aigerim.nurlanova@school.example",
        "Aigerim.Nurlanova2026",
        "айгерім нұрланова",
        "АйгерімНұрланова!",
    ):
        assert PERSONAL in refusal(password, person)


def test_the_refusals_are_translated(app):
    with force_locale("ru"):
        assert "не менее 12 символов" in refusal("short")
    with pytest.raises(InvalidInput) as refused:
        check_new_password("qwerty123456")
    assert isinstance(refused.value.message, LazyString)  # rendered in the reader's language


# -- the same rule at every place a password is chosen


def test_creating_a_user_refuses_a_common_password(app):
    with pytest.raises(InvalidInput, match=COMMON):
        create_user("a@school.example", "A", Role.TEACHER, "Password1234")
    assert user_count() == 0


def test_the_command_line_refuses_a_common_or_short_password(runner):
    common = create_with_cli(runner, "iloveyou1234")
    assert common.exit_code != 0
    assert COMMON in common.output
    short = create_with_cli(runner, "x7#kq9!mzr2")
    assert short.exit_code != 0
    assert "at least 12 characters" in short.output
    assert user_count() == 0
    assert create_with_cli(runner, PASSWORD).exit_code == 0


def test_the_reset_page_refuses_a_common_password_and_the_code_still_works(auth):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    user = UserFactory()
    code = resets.issue_code(admin, user)
    db.session.commit()
    refused = post_reset(auth, user.email, code, "Qwerty123456")
    assert refused.status_code == 422
    assert COMMON in refused.get_data(True)
    assert post_reset(auth, user.email, code, "a new passphrase for me").status_code == 303


def test_the_reset_page_refuses_the_persons_own_name_and_the_code_still_works(auth):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    user = UserFactory(display_name="Ерболат Исаев Сапарұлы")
    code = resets.issue_code(admin, user)
    db.session.commit()
    refused = post_reset(auth, user.email, code, "Ерболат Исаев Сапарұлы")
    assert refused.status_code == 422
    assert PERSONAL in refused.get_data(True)
    assert "This code cannot be used" not in refused.get_data(True)
    assert post_reset(auth, user.email, code, "a new passphrase for me").status_code == 303


def test_the_demo_password_and_a_generated_one_pass(app):
    check_new_password("demo-password-2026", ["admin@qadam.example", "Дина Ахметова"])
    for _ in range(200):
        check_new_password(secrets.token_urlsafe(12), ["admin@qadam.example"])
