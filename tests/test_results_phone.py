"""A teacher's result sheets kept on the phone (issue 13, point 3): one page holds every sheet
of the term under way, standing in offline for each sheet's address."""

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from app.core.audit import AuditEvent
from app.extensions import db
from app.results.domain import SHEET_STAND_IN
from app.results.models import Subject
from app.results.services import entry, save_sheet
from app.results.subjects import add_default_subjects, assign
from tests.conftest import count_queries
from tests.factories import ChildFactory, SchoolClassFactory, TermFactory, UserFactory
from tests.test_results import NOW


@pytest.fixture
def world(teacher):
    """A grade-5 class of `teacher` (all its subjects), a grade-8 class where they teach
    physics only, and term 1 (over) and term 2 (under way) of the year."""
    add_default_subjects()
    own = SchoolClassFactory(grade=5, teachers=[teacher])
    taught = SchoolClassFactory(grade=8)
    subjects = {s.code: s for s in db.session.scalars(select(Subject))}
    assign(taught, subjects["physics"], teacher)
    first = TermFactory(number=1, starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 31))
    second = TermFactory()
    children = ChildFactory.create_batch(3, school_class=own)
    ChildFactory.create_batch(2, school_class=taught)
    db.session.flush()
    return own, taught, children, subjects, first, second


def kept(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="results-on-phone">(.*?)</script>', html)
    return json.loads(found.group(1))


def test_a_teachers_phone_keeps_their_results_pages_and_one_copy_of_every_sheet(
    client, auth, teacher, world
):
    db.session.commit()
    auth.log_in_as(teacher)
    pages = client.get("/api/offline-pages").get_json()["pages"]
    assert [page for page in pages if "results" in page] == ["/results", "/results/on-phone"]
    worker = client.get("/sw.js").get_data(as_text=True)
    assert "/results/on-phone" in worker  # the copy stands in for the sheets' addresses


def test_a_social_workers_phone_keeps_no_results(client, auth, world):
    db.session.commit()
    auth.log_in_as(UserFactory(role="social_worker"))
    pages = client.get("/api/offline-pages").get_json()["pages"]
    assert not [page for page in pages if "results" in page]


def test_the_copy_holds_each_class_and_this_terms_results_of_each_subject_entered(
    client, auth, teacher, world
):
    own, taught, children, subjects, first, second = world
    maths = subjects["mathematics"]
    save_sheet(teacher, own, maths, first, {children[0].id: entry(5, 50, None, None)}, NOW)
    save_sheet(teacher, own, maths, second, {children[1].id: entry(5, 90, None, "Neat")}, NOW)
    db.session.commit()
    auth.log_in_as(teacher)
    with count_queries() as statements:
        page = client.get("/results/on-phone")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    data = kept(html)
    assert set(data) == {str(own.id), str(taught.id)}
    assert data[str(own.id)]["term"] == 2
    assert set(data[str(taught.id)]["subjects"]) == {str(subjects["physics"].id)}
    maths_kept = data[str(own.id)]["subjects"][str(maths.id)]
    assert maths_kept["heading"] == f"Mathematics, class {own.name}"
    result = maths_kept["results"]
    assert list(result) == [str(children[1].id)]  # term 1's result is not this term's
    assert result[str(children[1].id)][1:] == [1, 90, 5, "Neat"]
    for child in children:  # each class's sheet once, its children with their fields
        assert html.count(f'name="percentage-{child.id}"') == 1
    assert html.count('id="results-sheet"') == 2
    viewed = db.session.scalars(
        select(AuditEvent.record_id).where(AuditEvent.action == "view_results")
    ).all()
    assert set(viewed) == {str(own.id), str(taught.id)}
    # A statement per class at most, not per subject or child: 11 subjects in grade 5.
    assert len(statements) < 25


def test_the_sheet_names_its_bands_and_its_stored_results_for_the_script(
    client, auth, teacher, world
):
    own, _taught, children, subjects, _first, second = world
    maths = subjects["mathematics"]
    save_sheet(teacher, own, maths, second, {children[0].id: entry(5, 77, None, None)}, NOW)
    db.session.commit()
    auth.log_in_as(teacher)
    html = client.get(f"/classes/{own.id}/results/{maths.id}/2").get_data(as_text=True)
    assert 'data-bands="85:5 65:4 40:3 0:2"' in html
    assert f'data-subject-id="{maths.id}"' in html and 'data-term="2"' in html
    assert html.count("data-result-id=") == 1
    assert 'pattern="100|[1-9]?[0-9]"' in html


@pytest.mark.parametrize("role", ["social_worker", "committee_member", "administrator"])
def test_only_teachers_get_the_copy(client, auth, role):
    auth.log_in_as(UserFactory(role=role))
    assert client.get("/results/on-phone").status_code == 404


def test_the_list_leads_in_one_tap_to_each_sheet_of_the_term_under_way(
    client, auth, teacher, world
):
    own, taught, _children, subjects, _first, _second = world
    db.session.commit()
    auth.log_in_as(teacher)
    html = client.get("/results").get_data(as_text=True)
    assert f"/classes/{own.id}/results/{subjects['mathematics'].id}/2" in html
    assert f"/classes/{taught.id}/results/{subjects['physics'].id}/2" in html
    assert f"/classes/{taught.id}/results/{subjects['algebra'].id}/2" not in html
    assert f"/classes/{own.id}/results/{subjects['mathematics'].id}/1" not in html
    assert f"/classes/{own.id}/results" in html  # earlier terms: through the class's page


def test_the_copy_stands_in_for_a_sheets_address_and_no_other(world):
    own, _taught, _children, subjects, _first, _second = world
    pattern = re.compile(SHEET_STAND_IN.pattern)
    assert pattern.search(f"/classes/{own.id}/results/{subjects['mathematics'].id}/2")
    assert not pattern.search(f"/classes/{own.id}/results")
    assert not pattern.search(f"/classes/{own.id}/roll-call")
