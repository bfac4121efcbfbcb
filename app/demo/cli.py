"""flask demo load: a fictional district to try Qadam with."""

import secrets

import click
from flask.cli import AppGroup

from app.core import clock
from app.core.errors import InvalidInput
from app.demo import two_factor
from app.demo.district import load_demo_district
from app.extensions import db

demo_cli = AppGroup("demo", help="The fictional demo district.")


@demo_cli.command("load")
@click.option("--password", help="Password for every demo account (printed when generated).")
@click.option("--seed", default=2026, show_default=True, help="Same seed, same district.")
def load(password: str | None, seed: int) -> None:
    """Load 3 schools, 20 classes, 400 children, a term of attendance and one user per role."""
    password = password or secrets.token_urlsafe(12)
    try:
        summary = load_demo_district(password, seed=seed, today=clock.today())
    except InvalidInput as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(
        f"Loaded a fictional district: {summary.schools} schools, {summary.classes} classes, "
        f"{summary.children} children, {summary.marks} attendance marks, "
        f"{summary.results} term results, {summary.plans} education plans with language support, "
        f"{summary.decisions} decisions of the committee at two meetings, a third in preparation."
    )
    click.echo(f"Demo logins (password for all: {password}):")
    for role, email in summary.logins:
        note = "  + two-factor code" if email in summary.two_factor else ""
        click.echo(f"  {role:<17} {email}{note}")
    if summary.two_factor:
        click.echo(
            "These roles also need a two-factor code at login, as on a phone's authenticator "
            "app: print the code of the moment with `flask demo code EMAIL`."
        )


@demo_cli.command("code")
@click.argument("email")
def code(email: str) -> None:
    """Print the current two-factor code of a demo account (only the demo's own accounts)."""
    try:
        click.echo(two_factor.current_code(email))
    except InvalidInput as error:
        raise click.ClickException(str(error.message)) from error
