"""The benchmark's count of SQL statements per request: on only when asked for."""

from app import create_app
from app.core.statements import HEADER
from app.extensions import db
from tests.factories import SchoolClassFactory, UserFactory


def test_a_request_says_how_many_statements_it_ran_only_when_asked(app, auth):
    teacher = UserFactory()
    SchoolClassFactory(teachers=[teacher])
    auth.log_in_as(teacher)
    assert HEADER not in auth.client.get("/today").headers  # off by default
    counting = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
        | {"QADAM_COUNT_STATEMENTS": True},
    )
    client = counting.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], _cookie(auth))
    with counting.app_context():
        try:
            page = client.get("/today", headers={"Accept-Language": "en"})
            login = client.get("/static/css/app.css")
        finally:
            db.session.remove()
            db.engine.dispose()  # its own pool: closed here, not left to the garbage collector
    assert page.status_code == 200
    assert int(page.headers[HEADER]) >= 3  # the session, the user, the classes at least
    assert page.headers["Server-Timing"].startswith("app;dur=")
    assert login.headers[HEADER] == "0"  # a static file asks the database nothing


def _cookie(auth) -> str:
    return auth.client.get_cookie(auth.client.application.config["SESSION_COOKIE_NAME"]).value
