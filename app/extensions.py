"""Every Flask extension, unbound; create_app() binds them."""

from flask_babel import Babel
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so migrations can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SessionOnlyLoginManager(LoginManager):
    """A login lives only in its server-side session, which can be ended.

    Qadam never sets a "remember me" cookie; this makes sure one is never read either: it
    would log a user in again after their sessions were ended.
    """

    def _load_user_from_remember_cookie(self, cookie: str) -> None:
        return None


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = SessionOnlyLoginManager()
babel = Babel()
csrf = CSRFProtect()
htmx = HTMX()
talisman = Talisman()
