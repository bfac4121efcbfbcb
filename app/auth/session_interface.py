"""Flask sessions kept on the server, in the `user_session` table, so they can be ended.

The cookie holds only an opaque random token; the table keeps its SHA-256 and the session's
data. A session that ended, or lapsed (idle or too old, see app/auth/sessions.py), loads as
a new empty one: the user is asked to log in, and an /api/ request gets the JSON 401.

The store reads and writes in its own short transactions, apart from the request's unit of
work: saving a session never commits what a view left undone, and a logout is saved even
when the view's own writes were rolled back.
"""

import secrets
import uuid
from datetime import datetime, timedelta

from flask import Flask, Request, Response, request
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSession, SessionInterface
from sqlalchemy import Executable, Update, insert, select, update

from app.auth import sessions
from app.auth.models import UserSession
from app.core import clock
from app.extensions import db

serializer = TaggedJSONSerializer()  # what Flask's cookie sessions use: tuples, Markup, dates
# Marks the store's own connections, so a test counting a page's queries can leave them out.
STORE = {"qadam_session_store": True}
# A request a phone sent just before its login or logout (the service worker saving a page,
# a second tap on "Log in") can be answered just after it. For this long such a request sees
# the old session's CSRF token and language, read-only and logged out: its answer must not
# replace the cookie the login or logout has just set.
LATE_REQUESTS = timedelta(minutes=1)
ENDED_BY_THE_BROWSER = ("replaced_at_login", "logout")
KEPT_FOR_LATE_REQUESTS = ("csrf_token", "lang")


class ServerSession(SecureCookieSession):
    """The session's data, and the token of the stored session it belongs to."""

    def __init__(
        self,
        initial: dict | None = None,
        token: str | None = None,
        last_seen_at: datetime | None = None,
        read_only: bool = False,
    ) -> None:
        super().__init__(initial)
        self.token = token  # None: a new token is made when there is something to keep
        self.last_seen_at = last_seen_at
        self.read_only = read_only  # never saved, no cookie
        self.to_end: list[tuple[str, str]] = []

    def end(self, reason: str) -> None:
        """Empty this session and end its stored row for good when the response is saved.

        Anything put in it afterwards starts a new session, under a new token.
        """
        if self.token is not None:
            self.to_end.append((self.token, reason))
        self.token = self.last_seen_at = None
        self.clear()


class ServerSessionInterface(SessionInterface):
    def open_session(self, app: Flask, request: Request) -> ServerSession | None:
        if request.path.startswith(f"{app.static_url_path}/"):
            return None  # a file needs no session: Flask gives it an empty read-only one
        token = request.cookies.get(self.get_cookie_name(app))
        return _load(token) if token else ServerSession()

    def save_session(self, app: Flask, session: ServerSession, response: Response) -> None:
        # A public response (a versioned asset, the scripts' shared data) is the same for
        # everyone: whether the login check read the session does not make it vary by the
        # cookie, so that a phone keeps it across logins instead of downloading it again.
        if session.accessed and not response.cache_control.public:
            response.vary.add("Cookie")
        if session.read_only:
            return
        now = clock.now()
        statements = [_end(token, reason, now) for token, reason in session.to_end]
        if not session:
            if session.token is not None and session.modified:
                statements.append(_end(session.token, "emptied", now))
            _run(statements)
            # Only a session emptied here (a logout) removes the cookie; a cookie naming a
            # session that is gone is left alone (it opens nothing).
            if session.modified:
                self._delete_cookie(app, response)
            return
        if session.token is None:
            token = secrets.token_urlsafe(32)
            statements.append(_insert(session, token, now))
            _run(statements)
            self._set_cookie(app, response, token)
            return
        if session.modified:
            changed = _contents(session)
            statements.append(_update(session.token).values(**changed, last_seen_at=now))
        elif session.last_seen_at is None or now - session.last_seen_at >= sessions.TOUCH_EVERY:
            statements.append(_update(session.token).values(last_seen_at=now))
        _run(statements)

    def _set_cookie(self, app: Flask, response: Response, token: str) -> None:
        # No Expires: the browser drops it when closed; the server decides when it ends.
        response.set_cookie(self.get_cookie_name(app), token, **self._cookie_options(app))
        response.vary.add("Cookie")

    def _delete_cookie(self, app: Flask, response: Response) -> None:
        response.delete_cookie(self.get_cookie_name(app), **self._cookie_options(app))
        response.vary.add("Cookie")

    def _cookie_options(self, app: Flask) -> dict:
        return {
            "domain": self.get_cookie_domain(app),
            "path": self.get_cookie_path(app),
            "secure": self.get_cookie_secure(app),
            "httponly": self.get_cookie_httponly(app),
            "samesite": self.get_cookie_samesite(app),
            "partitioned": self.get_cookie_partitioned(app),
        }


def _load(token: str) -> ServerSession:
    """The session this token opens; a new empty one if it ended or lapsed."""
    now = clock.now()
    with db.engine.connect().execution_options(**STORE) as conn:
        row = conn.execute(
            select(
                UserSession.user_id,
                UserSession.data,
                UserSession.created_at,
                UserSession.last_seen_at,
                UserSession.ended_at,
                UserSession.end_reason,
            ).where(UserSession.token_hash == sessions.token_hash(token))
        ).first()
        if row is None:
            return ServerSession()
        if row.ended_at is not None:
            return _late(row, now) or ServerSession()
        reason = sessions.lapsed(row.user_id is not None, row.created_at, row.last_seen_at, now)
        if reason is not None:
            conn.execute(_end(token, reason, now))
            conn.commit()
            return ServerSession()
    data = serializer.loads(row.data)
    return ServerSession(data, token=token, last_seen_at=row.last_seen_at)


def _late(row, now: datetime) -> ServerSession | None:
    """For a request sent just before a login or logout: the old session's CSRF token and
    language, read-only; never a login."""
    if row.end_reason not in ENDED_BY_THE_BROWSER or now - row.ended_at > LATE_REQUESTS:
        return None
    data = serializer.loads(row.data)
    kept = {key: data[key] for key in KEPT_FOR_LATE_REQUESTS if key in data}
    return ServerSession(kept, read_only=True)


def _contents(session: ServerSession) -> dict:
    """The columns that follow the session's data: the data and who is logged in."""
    try:
        user_id = uuid.UUID(session["_user_id"]) if "_user_id" in session else None  # Flask-Login
    except ValueError:
        user_id = None
    return {"data": serializer.dumps(dict(session)), "user_id": user_id}


def _insert(session: ServerSession, token: str, now: datetime) -> Executable:
    session.token = token
    return insert(UserSession).values(
        token_hash=sessions.token_hash(token),
        created_at=now,
        last_seen_at=now,
        remote_addr=(request.remote_addr or "")[:64] or None,
        **_contents(session),
    )


def _update(token: str) -> Update:
    # Never brings back a session that was ended meanwhile (by an administrator, say).
    return update(UserSession).where(
        UserSession.token_hash == sessions.token_hash(token), UserSession.ended_at.is_(None)
    )


def _end(token: str, reason: str, now: datetime) -> Executable:
    return _update(token).values(ended_at=now, end_reason=reason)


def _run(statements: list[Executable]) -> None:
    if statements:
        with db.engine.connect().execution_options(**STORE) as conn, conn.begin():
            for statement in statements:
                conn.execute(statement)
