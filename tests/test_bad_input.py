"""Bad input answers a translated 4xx, never a 500 (issue 10, point 14, the pages' part): ids
and numbers are read only as ASCII digits of a sensible length, a year only as a year."""

import pytest
from flask_babel import force_locale, gettext

from app.auth.models import Role
from app.extensions import db
from tests.authorisation import WORLD_CONFLICT_ID, _report, build_world
from tests.factories import SchoolFactory, UserFactory
from tests.test_roster_import import HEADER_RU, ROWS, csv_bytes, upload

# Digits to str.isdigit, numbers to int(), or far too long for a database id.
NOT_AN_ID = ["²", "٣", "1" + "0" * 30, "9" * 5_000, "-1", "1e3", " 7"]
NOT_FOUND = "This page does not exist, or you do not have access to it."


@pytest.mark.parametrize("conflict", NOT_AN_ID)
def test_a_conflict_named_by_anything_but_its_number_is_not_found(client, auth, conflict):
    world = build_world()
    url = f"{_report(world)}/conflicts"
    auth.log_in_as(world.people["social_worker_a"])
    data = {"csrf_token": auth.csrf_token(), "conflict": conflict, "field-present": "device"}
    response = client.post(url, data=data)
    assert response.status_code == 404
    assert NOT_FOUND in response.get_data(as_text=True)
    still_open = client.get(url).get_data(as_text=True)
    assert f'name="conflict" value="{WORLD_CONFLICT_ID}"' in still_open


@pytest.fixture
def admin(auth):
    user = UserFactory(role=Role.ADMINISTRATOR)
    auth.log_in_as(user)
    return user


@pytest.mark.parametrize("column", NOT_AN_ID)
def test_a_column_chosen_by_anything_but_its_number_is_no_column(client, auth, admin, column):
    school = SchoolFactory()
    uploaded = upload(client, auth, school, csv_bytes([HEADER_RU, *ROWS]))
    upload_id = uploaded.location.split("/")[3]
    choice = {"school": str(school.id), "family_name": column}
    columns = client.get(f"/admin/import/{upload_id}/columns", query_string=choice)
    assert columns.status_code == 200
    preview = client.get(f"/admin/import/{upload_id}/preview", query_string=choice)
    assert preview.status_code == 422
    assert "Qadam could not find a column for: Family name" in preview.get_data(as_text=True)
    data = {**choice, "csrf_token": auth.csrf_token()}
    assert client.post(f"/admin/import/{upload_id}/import", data=data).status_code == 422


@pytest.mark.parametrize("year", ["abcd", "2026", "2026-2030", "²⁰²⁶-²⁰²⁷", "2026-2027x"])
def test_the_rollover_of_a_year_that_is_not_one_is_refused_with_a_message(
    client, auth, admin, year
):
    shown = client.get("/admin/rollover", query_string={"year": year})
    done = client.post("/admin/rollover", data={"year": year, "csrf_token": auth.csrf_token()})
    for response in (shown, done):
        assert response.status_code == 422
        assert "Write the academic year like 2026-2027." in response.get_data(as_text=True)


def test_the_rollover_message_is_in_the_persons_language(client, auth):
    auth.log_in_as(UserFactory(role=Role.ADMINISTRATOR, preferred_language="ru"))
    page = client.get("/admin/rollover?year=abcd")
    assert page.status_code == 422
    assert "Укажите учебный год в виде 2026-2027." in page.get_data(as_text=True)


def test_a_method_not_allowed_says_which_are(client):
    response = client.get("/language")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert "This action is not allowed here." in response.get_data(as_text=True)


def in_language(language: str, message: str, **values) -> str:
    """`message` as a page in `language` shows it; never the English source."""
    with force_locale(language):
        shown = gettext(message, **values)
    assert shown != message % values if values else shown != message, "not translated"
    return shown


def test_a_method_not_allowed_is_said_in_the_pages_language(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "kk"
    response = client.get("/language")
    assert (response.status_code, "POST" in response.headers["Allow"]) == (405, True)
    assert in_language("kk", "This action is not allowed here.") in response.get_data(True)


def test_a_conflict_named_by_no_number_is_not_found_in_the_persons_language(client, auth):
    world = build_world()
    worker = world.people["social_worker_a"]
    worker.preferred_language = "kk"
    db.session.commit()
    auth.log_in_as(worker)
    data = {"csrf_token": auth.csrf_token(), "conflict": "²", "field-present": "device"}
    response = client.post(f"{_report(world)}/conflicts", data=data)
    assert response.status_code == 404
    assert in_language("kk", NOT_FOUND) in response.get_data(as_text=True)


def test_a_column_chosen_by_no_number_is_refused_in_the_persons_language(client, auth, admin):
    admin.preferred_language = "ru"
    db.session.commit()
    school = SchoolFactory()
    uploaded = upload(client, auth, school, csv_bytes([HEADER_RU, *ROWS]))
    upload_id = uploaded.location.split("/")[3]
    choice = {"school": str(school.id), "family_name": "٣"}
    preview = client.get(f"/admin/import/{upload_id}/preview", query_string=choice)
    assert preview.status_code == 422
    with force_locale("ru"):
        field = gettext("Family name")
    message = "Qadam could not find a column for: %(fields)s. Choose a column for each below, or add them to the file and upload it again."  # noqa: E501
    shown = in_language("ru", message, fields=field)
    lead = shown[: shown.index(field) + len(field)]  # the other columns follow, unguessed
    assert lead in preview.get_data(as_text=True)
