"""flask audit verify: is the audit trail still the chain it was written as?"""

import click
from flask.cli import AppGroup

from app.core.audit_chain import verify

audit_cli = AppGroup("audit", help="Check the audit trail.")


@audit_cli.command("verify")
def verify_command() -> None:
    """Recompute every entry's hash in id order; exit 1 at the first broken link."""
    result = verify()
    if not result.intact:
        raise click.ClickException(
            f"{result.describe()} ({result.count} entries before it are intact.)"
        )
    click.echo(result.describe())
