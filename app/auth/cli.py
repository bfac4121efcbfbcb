"""flask users create …, flask sessions prune"""

import click
from flask.cli import AppGroup

from app.auth import sessions
from app.auth.models import Role
from app.auth.services import create_user
from app.core.errors import InvalidInput
from app.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="Name shown in the app.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--language", type=click.Choice(["kk", "ru", "ar", "en"]), default=None)
@click.password_option(help="At least 12 characters; asked for when not given.")
def create(email: str, display_name: str, role: str, language: str | None, password: str) -> None:
    """Create a user with a role."""
    try:
        user = create_user(email, display_name, Role(role), password, language)
    except InvalidInput as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}")


sessions_cli = AppGroup("sessions", help="Manage login sessions.")


@sessions_cli.command("prune")
def prune() -> None:
    """Delete sessions that ended or lapsed more than a day ago (run it daily, e.g. from cron)."""
    deleted = sessions.prune()
    db.session.commit()
    click.echo(f"Deleted {deleted} sessions")
