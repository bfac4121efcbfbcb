"""Languages: choosing one, right-to-left, and catalogs that are complete and current."""

import glob
import os
import re

import pytest
from babel.messages.pofile import read_po

from app.extensions import db
from app.i18n.cli import extract_to
from tests.authorisation import build_world
from tests.conftest import ROOT
from tests.factories import ChildFactory, SchoolClassFactory, UserFactory

LANGUAGES = ("kk", "ru", "ar")


def html_lang(response) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', response.get_data(as_text=True))
    return match.group(1), match.group(2)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ru-RU,ru;q=0.9", ("ru", "ltr")),
        ("ar", ("ar", "rtl")),
        ("kk", ("kk", "ltr")),
        ("de-DE", ("kk", "ltr")),
        ("", ("kk", "ltr")),
    ],
)
def test_language_follows_accept_language_then_falls_back_to_kazakh(client, header, expected):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = header
    assert html_lang(client.get("/login")) == expected


def test_the_users_saved_choice_wins_over_the_browser(client, auth):
    auth.log_in_as(UserFactory(preferred_language="ar"))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    assert html_lang(client.get("/today")) == ("ar", "rtl")


def test_switching_language_is_saved_for_the_user(client, auth):
    user = UserFactory(preferred_language="kk")
    auth.log_in_as(user)
    response = client.post(
        "/language", data={"lang": "ru", "next": "/today", "csrf_token": auth.csrf_token()}
    )
    assert response.status_code == 303
    assert response.location == "/today"
    assert user.preferred_language == "ru"
    assert html_lang(client.get("/today")) == ("ru", "ltr")


def test_an_anonymous_visitor_can_switch_language(client, auth):
    client.post("/language", data={"lang": "ar", "next": "/login", "csrf_token": auth.csrf_token()})
    assert html_lang(client.get("/login")) == ("ar", "rtl")


def test_the_language_switch_never_redirects_off_site(client, auth):
    response = client.post(
        "/language",
        data={"lang": "ru", "next": "//evil.example/x", "csrf_token": auth.csrf_token()},
    )
    assert response.location == "/"


def test_an_unknown_language_is_refused(client, auth):
    response = client.post("/language", data={"lang": "xx", "csrf_token": auth.csrf_token()})
    assert response.status_code == 400


def test_every_page_has_the_language_switch(client, auth):
    teacher = UserFactory()
    child = ChildFactory(school_class=SchoolClassFactory(teachers=[teacher]))
    auth.log_in_as(teacher)
    for path in ("/today", f"/classes/{child.class_id}/roll-call", f"/children/{child.id}"):
        html = client.get(path).get_data(as_text=True)
        assert 'action="/language"' in html, path
        assert all(f'value="{code}"' in html for code in LANGUAGES)


def test_dates_are_formatted_in_the_pages_language(client, auth):
    teacher = UserFactory()
    SchoolClassFactory(teachers=[teacher])
    auth.log_in_as(teacher)
    months = {"ru": "ноября", "kk": "қараша", "ar": "نوفمبر"}
    for lang, month in months.items():
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
        teacher.preferred_language = None
        html = client.get("/today").get_data(as_text=True)
        assert month in html, lang


def _catalogs():
    return sorted(glob.glob(os.path.join(ROOT, "translations", "*", "LC_MESSAGES", "messages.po")))


def _read(path):
    with open(path, "rb") as f:
        return read_po(f)


def test_every_language_has_a_catalog():
    found = {path.split(os.sep)[-3] for path in _catalogs()}
    assert found == set(LANGUAGES)


@pytest.mark.parametrize("path", _catalogs(), ids=lambda p: p.split(os.sep)[-3])
def test_catalog_has_no_missing_or_fuzzy_entries(path):
    catalog = _read(path)
    incomplete = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]
    assert incomplete == []


@pytest.mark.parametrize("path", _catalogs(), ids=lambda p: p.split(os.sep)[-3])
def test_catalog_placeholders_match_the_source(path):
    catalog = _read(path)
    errors = [(m.id, str(e)) for m in catalog if m.id for e in m.check(catalog)]
    assert errors == []


@pytest.mark.parametrize("path", _catalogs(), ids=lambda p: p.split(os.sep)[-3])
def test_catalog_has_every_string_of_the_template(path):
    template = _read(os.path.join(ROOT, "translations", "messages.pot"))
    catalog = _read(path)
    assert {m.id for m in template if m.id} - {m.id for m in catalog if m.id} == set()


def test_template_is_current_with_the_code(app, tmp_path):
    """A string added to the code without `flask translate update` fails here."""
    fresh = tmp_path / "fresh.pot"
    with app.app_context():
        extract_to(str(fresh))
    committed = _read(os.path.join(ROOT, "translations", "messages.pot"))
    assert {m.id for m in _read(str(fresh)) if m.id} == {m.id for m in committed if m.id}


def _english_sources() -> list[str]:
    """English strings of the catalog that would be a leak if they appeared on a kk/ru/ar page."""
    template = _read(os.path.join(ROOT, "translations", "messages.pot"))
    sources = []
    for message in template:
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            if text and "%(" not in text and len(text) > 3:
                sources.append(text)
    return sources


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    # The language switch names each language in that language ("English", "Русский"): by design.
    html = re.sub(r'<form[^>]*class="language-switch".*?</form>', " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _pages_of(person: str, world) -> list[str]:
    child = f"/children/{world.child.id}"
    return (
        [f"{child}/timeline", f"{child}/plan", f"{child}/language"]
        + {
            "teacher_a": [
                "/today",
                f"/classes/{world.school_class.id}/roll-call",
                child,
                f"{child}/plan/social_emotional",
            ],
            "social_worker_a": ["/caseload", child, f"{child}/review"],
            "committee_a": ["/district", child, f"{child}/review"],
        }[person]
        + ["/nowhere"]
    )


@pytest.mark.parametrize("person", ["teacher_a", "social_worker_a", "committee_a"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_english_leaks_into_a_translated_page(client, auth, lang, person):
    world = build_world()
    user = world.people[person]
    user.preferred_language = lang
    db.session.commit()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    texts = [_visible_text(client.get("/login").get_data(as_text=True))]
    auth.log_in_as(user)
    texts += [
        _visible_text(client.get(path).get_data(as_text=True)) for path in _pages_of(person, world)
    ]
    leaks = {source for source in _english_sources() for text in texts if source in text}
    assert leaks == set()
