"""Fixtures: the schema is built once per run by the migrations; every test starts empty."""

import atexit
import glob
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TypeVar

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, g, has_app_context, session
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_wtf.csrf import generate_csrf
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, event, make_url, text

from app import create_app
from app.auth import session_interface, sessions, throttle
from app.auth.login import complete_login
from app.core import clock
from app.extensions import db
from tests import snapshot
from tests.factories import PASSWORD, SchoolClassFactory, UserFactory, two_factor_code
from tests.tables import empty_tables, track_written_tables

T = TypeVar("T")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# A Wednesday inside the second term of 2026-2027: tests never depend on the real date.
TODAY = date(2026, 11, 18)


def examples(count: int) -> int:
    """How many examples a property test draws: `count` on SQLite, a third on PostgreSQL.
    The drawing explores inputs, the same on either database; what PostgreSQL adds (its SQL,
    types and locks) every example runs through, and each costs it four to five times as
    much."""
    on_postgresql = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
    return max(1, count // 3) if on_postgresql else count


def _database_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return _worker_database(url)
    # In memory (tmpfs) where the machine has one: a commit then costs no disk write.
    shm = "/dev/shm"  # noqa: S108 - mkdtemp makes a private folder of its own in it
    shm = shm if os.access(shm, os.W_OK) else None
    folder = tempfile.mkdtemp(prefix="qadam-test-", dir=shm)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return f"sqlite:///{os.path.join(folder, 'test.sqlite')}"


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker has a database of its own, named after the given one
    (made here, dropped by scripts/test with it)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    given = make_url(url)
    name = f"{given.database}_{worker}"
    maintenance = create_engine(given.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with maintenance.connect() as conn:
        known = text("SELECT 1 FROM pg_database WHERE datname = :name")
        if conn.execute(known, {"name": name}).first() is None:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    maintenance.dispose()
    return given.set(database=name).render_as_string(hide_password=False)


def _without_durability(engine) -> None:
    """A test database need not survive a crash: a commit does not wait for the disk.

    What a commit makes visible to other connections, and every lock, stay as they are."""

    @event.listens_for(engine, "connect")
    def no_sync(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA synchronous = OFF")
        else:
            cursor.execute("SET synchronous_commit = off")
        cursor.close()
        if engine.dialect.name == "postgresql":
            dbapi_connection.commit()

    engine.dispose()


def _compile_catalogs() -> None:
    """The suite reads the catalogs as they are in the tree, not a stale build."""
    for po_path in glob.glob(os.path.join(ROOT, "translations", "*", "LC_MESSAGES", "*.po")):
        with open(po_path, "rb") as po_file:
            catalog = read_po(po_file)
        with open(po_path[:-3] + ".mo", "wb") as mo_file:
            write_mo(mo_file, catalog)


@pytest.fixture(scope="session")
def app():
    _compile_catalogs()
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": _database_url()})
    with app.app_context():
        _without_durability(db.engine)
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        track_written_tables(db.engine)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(app):
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        empty_tables()


@pytest.fixture(autouse=True)
def _forget_failed_attempts(app):
    """Counts of failed logins live outside the database: every test starts without any."""
    yield
    throttle.limiter(app).reset()


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


class IsolatedClient(FlaskClient):
    """Each request starts with an empty `g`, as in production.

    Tests hold an app context for factories and assertions; Flask reuses it for the
    requests they make, so without this a user loaded in one request would leak into the next.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture
def teacher():
    """A teacher; a test module may override it (for example with a preferred language)."""
    return UserFactory()


@pytest.fixture
def school_class(teacher):
    """A class taught by `teacher`."""
    return SchoolClassFactory(teachers=[teacher])


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # assertions read English
    client.environ_base["HTTP_ORIGIN"] = "http://localhost"  # as a browser sends with a POST
    return client


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


DEMO_PASSWORD = "demo-password-2026"
_demo = snapshot.Replayed(
    lambda runner: runner.invoke(args=["demo", "load", "--password", DEMO_PASSWORD])
)


def load_demo(runner):
    """`flask demo load --password demo-password-2026`, loaded for real once in a run; after
    that its rows are copied back (the district is the same: the demo is seeded). Give the
    command's result."""
    return _demo(runner)


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, user, password: str = PASSWORD, follow: bool = False):
        """Log in through the form; give the two-factor code too when the user has one."""
        response = self.client.post(
            "/login",
            data={"email": user.email, "password": password, "csrf_token": self.csrf_token()},
        )
        if response.status_code == 303 and response.location.startswith("/login/code"):
            response = self.client.post(
                "/login/code",
                data={"code": two_factor_code(user), "csrf_token": self.csrf_token()},
            )
        if follow and response.status_code in (302, 303):
            response = self.client.get(response.location, follow_redirects=True)
        return response

    def log_in_as(self, user) -> None:
        """Log `user` in without the forms, for tests of what a logged-in person may do.

        The login's own code runs and its session's cookie is set, as after the forms (see
        logged_in_session); logging in itself (password, two-factor, limits) is tested
        through login()."""
        name = self.client.application.config["SESSION_COOKIE_NAME"]
        cookie = self.client.get_cookie(name)
        environ = dict(self.client.environ_base)
        if cookie:
            environ["HTTP_COOKIE"] = f"{name}={cookie.value}"
        self.client.set_cookie(name, logged_in_session(user, environ))

    def csrf_token(self) -> str:
        """The session's CSRF token, as a page with a form would give it."""
        return self._session_csrf_token() or self._page_csrf_token()

    def _page_csrf_token(self) -> str:
        html = self.client.get("/login", follow_redirects=True).get_data(as_text=True)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    def _session_csrf_token(self) -> str | None:
        """Signed from the session the cookie opens, as Flask-WTF signs it, without a request;
        None when only a page would do (no session or no token yet, a session ended or
        lapsed, or one a request would now touch: the page is then asked for)."""
        app = self.client.application
        cookie = self.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        if cookie is None:
            return None
        stored = session_interface._load(cookie.value)
        raw = stored.get("csrf_token")
        if stored.token is None or raw is None or stored.last_seen_at is None:
            return None
        if clock.now() - stored.last_seen_at >= sessions.TOUCH_EVERY:
            return None
        secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)


def logged_in_session(user, environ: dict) -> str:
    """Run the login's own code (app/auth/login.py) for `user` on a request with this
    environ (the client's address, browser and cookie), commit, save the session as the
    response would, and give the token its cookie holds. The session has a CSRF token, as
    after the first page with a form."""
    app = current_app._get_current_object()
    kept_g = dict(g.__dict__)
    with app.test_request_context("/login", method="POST", environ_base=environ):
        complete_login(user)
        generate_csrf()
        db.session.commit()
        app.session_interface.save_session(app, session, app.response_class())
        token = session.token
    g.__dict__.clear()
    g.__dict__.update(kept_g)
    return token


@pytest.fixture
def auth(client):
    return Auth(client)


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block.

    The session store's own statements are left out: one read per request, and a write when
    the session changed or once a minute, whatever the page shows.
    """
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        if not conn.get_execution_options().get("qadam_session_store"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.hookimpl(trylast=True)  # once tests/browser/conftest.py has marked its tests
def pytest_collection_modifyitems(items):
    """QADAM_BROWSER_TESTS=first or last runs the browser tests before or after the others.
    scripts/test runs SQLite with them last and PostgreSQL with them first, the way its times
    were measured (the two databases once ran side by side, one each way)."""
    where = os.environ.get("QADAM_BROWSER_TESTS")
    if where in ("first", "last"):
        last = where == "last"
        items.sort(key=lambda item: (item.get_closest_marker("browser") is not None) == last)
