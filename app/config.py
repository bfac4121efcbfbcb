"""Configuration classes; every setting can come from an environment variable."""

import os


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: SQLite in the instance folder
    # hide_parameters: the values in a statement (names, notes) stay out of SQL logs and out of
    # database errors' messages, which the app logs.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024  # the largest roster file is 5 MB; above this: 413
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # Sessions are kept on the server (app/auth/session_interface.py); the cookie holds a token.
    SESSION_COOKIE_NAME = "qadam"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # A logged-in session ends after this long without a request, and this long after the login.
    QADAM_SESSION_IDLE_MINUTES = _env_int("QADAM_SESSION_IDLE_MINUTES", 30)
    QADAM_SESSION_MAX_HOURS = _env_int("QADAM_SESSION_MAX_HOURS", 12)
    BABEL_DEFAULT_LOCALE = "kk"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("QADAM_TIMEZONE", "Asia/Almaty")
    QADAM_LANGUAGES = ("kk", "ru", "ar", "en")
    # How many school days back a teacher may still correct a roll call (today included).
    QADAM_CORRECTION_DAYS = _env_int("QADAM_CORRECTION_DAYS", 7)
    # Weekdays with lessons, Monday = 0 (some schools also teach on Saturday: "0,1,2,3,4,5").
    QADAM_SCHOOL_WEEKDAYS = tuple(
        int(d) for d in os.environ.get("QADAM_SCHOOL_WEEKDAYS", "0,1,2,3,4").split(",")
    )
    # How long a one-time code an administrator hands out (set-up or reset) stays valid.
    QADAM_RESET_HOURS = _env_int("QADAM_RESET_HOURS", 24)
    # Failed attempts allowed (logins, one-time codes, two-factor codes), per account and per
    # client address, in any window of the given length (Flask-Limiter's notation).
    QADAM_LOGIN_LIMIT_ACCOUNT = os.environ.get("QADAM_LOGIN_LIMIT_ACCOUNT", "5 per 15 minutes")
    QADAM_LOGIN_LIMIT_ADDRESS = os.environ.get("QADAM_LOGIN_LIMIT_ADDRESS", "20 per 15 minutes")
    # Where the counts live: memory:// for one process; redis://127.0.0.1:6379 for several.
    RATELIMIT_STORAGE_URI = os.environ.get("QADAM_RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_KEY_PREFIX = "qadam"
    # Roles that must use two-factor authentication (TOTP); the others may turn it on.
    QADAM_2FA_REQUIRED_ROLES = tuple(
        role.strip()
        for role in os.environ.get(
            "QADAM_2FA_REQUIRED_ROLES", "social_worker,committee_member,administrator"
        ).split(",")
        if role.strip()
    )
    # How many reverse proxies in front of the app set X-Forwarded-For and -Proto (0: none).
    QADAM_PROXY_COUNT = _env_int("QADAM_PROXY_COUNT", 0)
    # How many years after a child's case is closed `flask retention apply` removes their names,
    # date of birth and background (attendance counts stay, anonymous).
    QADAM_RETENTION_YEARS = _env_int("QADAM_RETENTION_YEARS", 5)
    # The private key (a PEM file) phones seal visit reports and incidents for; unset: made in
    # the instance folder (instance/outbox-key.pem). Old keys stay readable while listed in
    # QADAM_OUTBOX_OLD_KEYS (paths, comma-separated). See README, "Outbox encryption".
    QADAM_OUTBOX_KEY = os.environ.get("QADAM_OUTBOX_KEY") or None
    QADAM_OUTBOX_OLD_KEYS = tuple(
        path.strip()
        for path in os.environ.get("QADAM_OUTBOX_OLD_KEYS", "").split(",")
        if path.strip()
    )
    # The benchmark's count of SQL statements per request (app/core/statements.py); off.
    QADAM_COUNT_STATEMENTS = os.environ.get("QADAM_COUNT_STATEMENTS") == "1"
    # Argon2id, RFC 9106's second recommended option: t=3, m=64 MiB, p=4.
    ARGON2_TIME_COST = _env_int("ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_COST = _env_int("ARGON2_MEMORY_COST", 65536)
    ARGON2_PARALLELISM = _env_int("ARGON2_PARALLELISM", 4)


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-only-not-secret"  # noqa: S105 - tests only, never deployed # nosec B105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"  # never a developer's Redis
    # Cheap hashing keeps the suite fast; production parameters are asserted separately.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1


class ProductionConfig(Config):
    # __Host-: the browser keeps it only if Secure, for Path=/ and without a Domain, so no
    # other site on the same domain can set or overwrite it.
    SESSION_COOKIE_NAME = "__Host-qadam"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = None


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
