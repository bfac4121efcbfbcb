"""Configuration classes; every setting can come from an environment variable."""

import os


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024  # the largest roster file is 5 MB; above this: 413
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
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
    # How many years after a child's case is closed `flask retention apply` removes their names,
    # date of birth and background (attendance counts stay, anonymous).
    QADAM_RETENTION_YEARS = _env_int("QADAM_RETENTION_YEARS", 5)
    # Argon2id, RFC 9106's second recommended option: t=3, m=64 MiB, p=4.
    ARGON2_TIME_COST = _env_int("ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_COST = _env_int("ARGON2_MEMORY_COST", 65536)
    ARGON2_PARALLELISM = _env_int("ARGON2_PARALLELISM", 4)


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-only-not-secret"  # noqa: S105 - tests only, never deployed
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # Cheap hashing keeps the suite fast; production parameters are asserted separately.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
