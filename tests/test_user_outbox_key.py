"""Each user's own outbox key: made once, kept, and given only to that user's pages (issue 10,
point 5). The phone locks what waits in its outbox with it (static/js/locked.js)."""

import base64

from app.extensions import db
from tests.factories import UserFactory
from tests.test_pwa import config_block


def page_key(client, url="/today") -> str | None:
    return config_block(client.get(url))["outbox"]["user_key"]


def test_a_login_gives_the_user_a_key_of_their_own_that_their_pages_carry(client, auth, teacher):
    auth.login(teacher)
    db.session.refresh(teacher)
    assert len(teacher.outbox_key) == 32
    assert base64.b64decode(page_key(client)) == teacher.outbox_key
    assert page_key(client) == page_key(client)  # the same on every page


def test_two_users_have_different_keys_and_nobody_logged_in_gets_none(client, auth, teacher):
    auth.login(teacher)
    first = page_key(client)
    client.post("/logout", data={"csrf_token": auth.csrf_token()})
    assert config_block(client.get("/login"))["outbox"]["user_key"] is None
    auth.login(UserFactory())
    assert page_key(client) not in (None, first)


def test_a_session_open_before_keys_existed_gets_one_that_stays(client, auth, teacher):
    auth.login(teacher)
    teacher.outbox_key = None  # a session from before the deploy
    db.session.commit()
    given = page_key(client)
    db.session.expire_all()
    assert given is not None and base64.b64decode(given) == teacher.outbox_key  # committed
    assert page_key(client) == given
