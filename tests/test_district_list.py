"""The committee's list of the district's children: a page at a time, in the reader's
alphabetical order, ordered in SQL (issue 12, point 5)."""

import re
import uuid

import pytest
from sqlalchemy import insert, text

from app.auth.models import Role
from app.children import services
from app.children.models import Child
from app.core import clock, paging
from app.extensions import db
from app.i18n.collation import name_key
from tests.conftest import count_queries
from tests.factories import ChildFactory, SchoolClassFactory, UserFactory

# Kazakh readers put Ы before І, Ә right after А and Ё after Е; others put І among the И's
# and Ё with Е.
FAMILY_NAMES = ["Іслямов", "Ыбыраев", "Әбенов", "Абаев", "Ерланов", "Ёлкин", "Бекова"]


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 3)


@pytest.fixture
def children(school_class):
    return [ChildFactory(school_class=school_class, family_name=name) for name in FAMILY_NAMES]


def member(lang: str):
    return UserFactory(role=Role.COMMITTEE_MEMBER, district="Сынақ ауданы", preferred_language=lang)


def names_on(html: str) -> list[str]:
    return re.findall(r'<a href="/children/[^"]+"><bdi>([^<]+)</bdi></a>', html)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_list_is_paged_in_the_readers_alphabetical_order(
    client, auth, children, small_pages, lang
):
    auth.log_in_as(member(lang))
    shown = []
    for number in (1, 2, 3):
        html = client.get(f"/district?page={number}").get_data(as_text=True)
        assert len(names_on(html)) == (3 if number < 3 else 1)
        shown += names_on(html)
    expected = [child.full_name for child in sorted(children, key=name_key(lang))]
    assert shown == expected
    family = [name.split()[0] for name in shown]
    assert family[:3] == ["Абаев", "Әбенов", "Бекова"]
    if lang == "kk":
        assert family[3:] == ["Ерланов", "Ёлкин", "Ыбыраев", "Іслямов"]
    else:
        assert family[3:] == ["Ёлкин", "Ерланов", "Іслямов", "Ыбыраев"]


def test_each_page_counts_the_whole_list_and_links_its_neighbours(
    client, auth, children, small_pages
):
    auth.log_in_as(member("en"))
    first = client.get("/district").get_data(as_text=True)
    assert "7 children" in first and "Page 1 of 3" in first
    assert 'rel="next" href="/district?page=2"' in first and 'rel="prev"' not in first
    middle = client.get("/district?page=2").get_data(as_text=True)
    assert 'rel="prev" href="/district?page=1"' in middle
    assert 'rel="next" href="/district?page=3"' in middle
    last = client.get("/district?page=3").get_data(as_text=True)
    assert 'rel="next"' not in last and "Page 3 of 3" in last


def test_a_list_longer_than_is_counted_says_more_than_and_still_turns_to_its_end(
    client, auth, children, small_pages, monkeypatch
):
    """Counting stops at paging.COUNTED_UP_TO (5 here, 7 children): the time of a page does
    not grow with the district."""
    monkeypatch.setattr(paging, "COUNTED_UP_TO", 5)
    auth.log_in_as(member("ru"))
    first = client.get("/district").get_data(as_text=True)
    assert "Более 5 детей" in first and "Страница 1<" in first
    assert 'rel="next" href="/district?page=2"' in first
    middle = client.get("/district?page=2").get_data(as_text=True)
    assert 'rel="next" href="/district?page=3"' in middle
    last = client.get("/district?page=3").get_data(as_text=True)
    assert len(names_on(last)) == 1 and 'rel="next"' not in last
    assert 'rel="prev" href="/district?page=2"' in last
    assert client.get("/district?page=4").status_code == 404


def test_a_short_list_has_no_pages_to_turn(client, auth, children):
    auth.log_in_as(member("en"))
    html = client.get("/district").get_data(as_text=True)
    assert len(names_on(html)) == 7 and 'class="pager"' not in html


@pytest.mark.parametrize("page", ["0", "4", "two", "-1", "99999999999999999999"])
def test_a_page_outside_the_list_is_refused_in_the_readers_language(
    client, auth, children, small_pages, page
):
    auth.log_in_as(member("ru"))
    response = client.get(f"/district?page={page}")
    assert response.status_code == 404
    assert "В этом списке нет такой страницы." in response.get_data(as_text=True)


def test_a_page_costs_the_same_queries_for_a_school_or_a_district(
    client, auth, school_class, small_pages
):
    auth.log_in_as(member("kk"))
    ChildFactory.create_batch(4, school_class=school_class)
    with count_queries() as few:
        client.get("/district?page=2")
    for _ in range(5):
        ChildFactory.create_batch(6, school_class=SchoolClassFactory(school=school_class.school))
    db.session.flush()
    with count_queries() as many:
        client.get("/district?page=2")
    assert len(many) == len(few)


def test_postgresql_compiles_no_query_just_in_time(app):
    """A high estimate (the district's children and their latest enrolment) made PostgreSQL
    compile the query for 250 ms, against 2 ms to run it: the app's connections turn JIT off."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's own setting")
    assert db.session.execute(text("SHOW jit")).scalar() == "off"


@pytest.mark.parametrize(
    ("lang", "index"), [("kk", "ix_child_name_kk"), ("ru", "ix_child_name_root")]
)
def test_postgresql_reads_a_page_of_a_large_district_in_order_from_an_index(
    school_class, lang, index
):
    """No sort of the whole district for a page of it: 151 ms at 50,000 children, measured;
    from the index of the reader's order, 2 ms (migration 0013)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's own index: SQLite has none on its collations")
    classes = [school_class, *SchoolClassFactory.create_batch(9, school=school_class.school)]
    now = clock.now()
    rows = [
        {
            "id": uuid.uuid4(),
            "given_name": ["Айгерім", "Нұрлан", "Әсел"][n % 3],
            "family_name": f"{FAMILY_NAMES[n % 7]}{n}",
            "sex": "F",
            "class_id": classes[n % 10].id,
            "home_languages": "kk",
            "needs_language_support": False,
            "version": 1,
            "search_key": "",
            "created_at": now,
            "updated_at": now,
        }
        for n in range(3000)
    ]
    db.session.execute(insert(Child), rows)
    db.session.execute(text("ANALYZE school, school_class, child"))
    statement = services._reachable_by_name(member(lang), lang, paging.PAGE_SIZE, 100)
    sql = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = "\n".join(db.session.execute(text(f"EXPLAIN {sql}")).scalars())
    assert f"Index Scan using {index} on child" in plan, plan
    sorted_rows = [int(rows) for rows in re.findall(r"Sort  \(cost=\S+ rows=(\d+)", plan)]
    assert all(rows <= 2 * paging.PAGE_SIZE for rows in sorted_rows), plan
