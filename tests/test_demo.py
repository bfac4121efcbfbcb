"""The fictional demo district."""

import re

from sqlalchemy import func, select

from app.auth.models import Role, User
from app.children.background import ChildBackground, Consent
from app.children.models import School
from app.extensions import db
from tests.conftest import DEMO_PASSWORD, load_demo
from tests.factories import UserFactory


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def load(runner, *args):
    if args == ("--password", DEMO_PASSWORD):
        return load_demo(runner)
    return runner.invoke(args=["demo", "load", *args])


def test_demo_prints_a_generated_password_when_none_is_given(runner, auth):
    result = load(runner)
    password = re.search(r"password for all: (\S+)\)", result.output).group(1)
    teacher = db.session.scalar(select(User).where(User.email == "teacher@qadam.example"))
    assert auth.login(teacher, password=password).status_code == 303


def test_demo_refuses_to_load_into_a_database_with_data(runner):
    load(runner, "--password", "demo-password-2026")
    result = load(runner, "--password", "demo-password-2026")
    assert result.exit_code != 0
    assert count(School) == 3


def test_every_page_says_the_data_is_fictional_while_demo_data_is_loaded(client, runner):
    banner = "every person and school here is fictional"
    assert banner not in client.get("/login").get_data(as_text=True)
    load(runner, "--password", "demo-password-2026")
    assert banner in client.get("/login").get_data(as_text=True)


def test_demo_accounts_whose_role_requires_two_factor_have_it_with_a_code_command(runner, auth):
    result = load(runner, "--password", "demo-password-2026")
    assert "flask demo code EMAIL" in result.output
    users = {u.email: u for u in db.session.scalars(select(User))}
    with_code = {e for e, u in users.items() if u.has_two_factor}
    assert with_code == {
        "social.worker@qadam.example",
        "committee@qadam.example",
        "admin@qadam.example",
    }
    code = runner.invoke(args=["demo", "code", "social.worker@qadam.example"])
    assert code.exit_code == 0, code.output
    assert re.fullmatch(r"\d{6}\n", code.output)
    data = {"email": "social.worker@qadam.example", "password": "demo-password-2026"}
    asked = auth.client.post("/login", data={**data, "csrf_token": auth.csrf_token()})
    assert asked.location == "/login/code"
    typed = {"code": code.output.strip(), "csrf_token": auth.csrf_token()}
    assert auth.client.post("/login/code", data=typed).status_code == 303
    assert auth.client.get("/caseload").status_code == 200


def test_demo_code_refuses_every_account_the_demo_did_not_give_two_factor(runner):
    load(runner, "--password", "demo-password-2026")
    UserFactory(email="real.admin@qadam.example", role=Role.ADMINISTRATOR)
    for email in ("real.admin@qadam.example", "teacher@qadam.example", "nobody@qadam.example"):
        result = runner.invoke(args=["demo", "code", email])
        assert result.exit_code != 0
        assert "Only the demo's own accounts" in result.output
        assert not re.search(r"\b\d{6}\b", result.output)


def test_demo_code_refuses_everything_when_no_demo_is_loaded(runner):
    UserFactory(email="admin@qadam.example", role=Role.ADMINISTRATOR)
    result = runner.invoke(args=["demo", "code", "admin@qadam.example"])
    assert result.exit_code != 0


def test_demo_social_worker_follows_a_caseload_with_backgrounds(runner, client, auth):
    load(runner, "--password", "demo-password-2026")
    worker = db.session.scalar(select(User).where(User.role == Role.SOCIAL_WORKER))
    committee = db.session.scalar(select(User).where(User.role == Role.COMMITTEE_MEMBER))
    assert committee.district == db.session.scalars(select(School.district)).first()
    backgrounds = db.session.scalars(select(ChildBackground)).all()
    assert len(backgrounds) == 6 and count(Consent) == 6
    auth.login(worker, password="demo-password-2026")
    page = client.get(f"/children/{backgrounds[0].child_id}").get_data(as_text=True)
    assert backgrounds[0].family_situation in page
