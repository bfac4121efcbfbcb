"""Qadam: following children back into school and community life."""

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import CONFIGS
from app.extensions import babel, csrf, db, htmx, login_manager, migrate


def create_app(config_name: str | None = None, test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, static_folder="../static")
    config_name = config_name or os.environ.get("QADAM_ENV", "production")
    app.config.from_object(CONFIGS[config_name])
    if test_config:
        app.config.from_mapping(test_config)
    configure_database(app)
    check_secret_key(app)
    configure_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    register_domains(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_context(app)
    return app


def configure_database(app: Flask) -> None:
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "qadam.sqlite")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # No JIT compilation: Qadam's queries are short, and PostgreSQL compiles one whose
        # estimate is high (the district's children, with their latest enrolment) for far
        # longer than it runs: measured, 250 ms to compile a query that runs in 2 ms.
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        connect_args = dict(options.get("connect_args", {}))
        connect_args["options"] = f"{connect_args.get('options', '')} -c jit=off".strip()
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options | {"connect_args": connect_args}


def check_secret_key(app: Flask) -> None:
    """Fail fast: a deployment without its own SECRET_KEY must not start."""
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set. Set it in the environment (see README).")


def configure_proxies(app: Flask) -> None:
    """Behind QADAM_PROXY_COUNT reverse proxies, the client's address and the scheme come from
    the X-Forwarded-For and -Proto headers those proxies add, and from no further back."""
    count = app.config["QADAM_PROXY_COUNT"]
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def translations_directory(app: Flask) -> str:
    """The absolute catalog folder; a missing one would silently serve English."""
    path = os.path.abspath(os.path.join(app.root_path, "..", "translations"))
    if not os.path.isdir(path):
        raise RuntimeError(f"Translations folder not found: {path}")
    return path


def register_extensions(app: Flask) -> None:
    from app.auth import throttle
    from app.auth.session_interface import ServerSessionInterface
    from app.core.assets import init_assets
    from app.core.audit import init_audit
    from app.core.log_privacy import init_log_privacy
    from app.core.models import compared_with_migrations
    from app.core.security import init_security
    from app.core.statements import init_statement_count
    from app.i18n.collation import init_collations
    from app.i18n.locale import select_locale, select_timezone

    init_assets(app)  # first: its compression runs after every other after_request
    db.init_app(app)
    init_collations(app)
    app.session_interface = ServerSessionInterface()
    migrate.init_app(
        app,
        db,
        directory=os.path.join(app.root_path, "..", "migrations"),
        render_as_batch=True,
        include_object=compared_with_migrations,
    )
    login_manager.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=translations_directory(app),
    )
    csrf.init_app(app)
    htmx.init_app(app)
    init_security(app)
    init_audit(app)
    init_log_privacy()
    throttle.init_app(app)
    init_statement_count(app)


def register_blueprints(app: Flask) -> None:
    from app.admin import accounts_views, import_views, views  # noqa: F401 - routes of admin_bp
    from app.admin.blueprint import bp as admin_bp
    from app.attendance.views import bp as attendance_bp
    from app.auth import reset_views, two_factor_views  # noqa: F401 - routes of auth_bp
    from app.auth import views as auth_views  # noqa: F401 - routes of auth_bp
    from app.auth.blueprint import bp as auth_bp
    from app.auth.public import require_declared_roles, require_login_by_default
    from app.auth.two_factor_views import require_enrolment
    from app.casework import (  # noqa: F401 - routes of casework_bp
        caseload_views,
        conflict_views,
        placement_views,
        visit_views,
    )
    from app.casework.blueprint import bp as casework_bp
    from app.children.casefile_views import bp as casefile_bp
    from app.children.views import bp as children_bp
    from app.committee import decision_views  # noqa: F401 - routes of committee_bp
    from app.committee import views as committee_views  # noqa: F401 - routes of committee_bp
    from app.committee.blueprint import bp as committee_bp
    from app.core.views import bp as core_bp
    from app.i18n.views import bp as i18n_bp
    from app.incidents.views import bp as incidents_bp
    from app.indicators import export_views  # noqa: F401 - routes of indicators_bp
    from app.indicators.views import bp as indicators_bp
    from app.plans import language_views  # noqa: F401 - routes of plans_bp
    from app.plans import views as plans_views  # noqa: F401 - routes of plans_bp
    from app.plans.blueprint import bp as plans_bp
    from app.pwa.views import bp as pwa_bp
    from app.results import (  # noqa: F401 - routes of results_bp
        admin_views,
        ejournal_views,
        phone_views,
    )
    from app.results import views as results_views  # noqa: F401 - routes of results_bp
    from app.results.blueprint import bp as results_bp
    from app.sync.views import bp as sync_bp
    from app.tasks.views import bp as tasks_bp

    require_login_by_default(app)
    require_enrolment(app)  # after the login check: it asks who is logged in
    require_declared_roles(app)  # then what the person's role may reach
    blueprints = (core_bp, i18n_bp, auth_bp, children_bp, casefile_bp, attendance_bp, sync_bp)
    others = (incidents_bp, casework_bp, results_bp, plans_bp, committee_bp, pwa_bp, admin_bp)
    others += (tasks_bp, indicators_bp)
    for bp in (*blueprints, *others):
        app.register_blueprint(bp)


def register_domains(app: Flask) -> None:
    """The one place that names every domain: what each adds to the shared parts (its pages
    kept offline, its parts of a child's page, its timeline items, alerts, retention steps,
    audit words and phone strings) is read from here, in this order."""
    from app.admin.domain import DOMAIN as admin
    from app.attendance.domain import DOMAIN as attendance
    from app.auth.domain import DOMAIN as auth
    from app.casework.domain import DOMAIN as casework
    from app.children.domain import DOMAIN as children
    from app.committee.domain import DOMAIN as committee
    from app.core.domains import register_domains as register
    from app.incidents.domain import DOMAIN as incidents
    from app.indicators.domain import DOMAIN as indicators
    from app.plans.domain import DOMAIN as plans
    from app.results.domain import DOMAIN as results
    from app.tasks.domain import DOMAIN as tasks

    domains = (auth, attendance, children, tasks, incidents, casework, results, plans, committee)
    domains += (admin, indicators)
    register(app, domains)
    register_sync_kinds(app)


def register_sync_kinds(app: Flask) -> None:
    """The outbox API applies the kinds the domains declared (their Domain's sync_kinds)."""
    from app.core.domains import contributions
    from app.sync.registry import register

    with app.app_context():
        for kind in contributions("sync_kinds"):
            register(kind)


def register_errorhandlers(app: Flask) -> None:
    from app.core.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from app.auth.cli import sessions_cli, users_cli
    from app.children.retention import retention_cli
    from app.core.audit_cli import audit_cli
    from app.demo.cli import demo_cli
    from app.i18n.cli import translate_cli
    from app.sync.outbox_key import outbox_key_cli

    commands = (users_cli, sessions_cli, demo_cli, translate_cli, audit_cli, retention_cli)
    commands += (outbox_key_cli,)
    for command in commands:
        app.cli.add_command(command)


def register_template_context(app: Flask) -> None:
    from app.casework import header
    from app.demo import banner
    from app.i18n import locale
    from app.tasks import header as tasks_header

    app.context_processor(locale.template_context)
    app.context_processor(banner.template_context)
    app.context_processor(header.template_context)
    app.context_processor(tasks_header.template_context)
    locale.register_filters(app)
