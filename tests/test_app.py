"""The app factory, configuration and schema."""

import os
import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app import create_app
from app.core.models import compared_with_migrations
from app.extensions import db


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr("app.config.ProductionConfig.SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_database_defaults_to_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.setattr("app.config.DevelopmentConfig.SQLALCHEMY_DATABASE_URI", None)
    app = create_app("development")
    expected = os.path.join(app.instance_path, "qadam.sqlite")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{expected}"


def test_database_url_comes_from_the_environment(monkeypatch):
    monkeypatch.setattr(
        "app.config.DevelopmentConfig.SQLALCHEMY_DATABASE_URI", "postgresql+psycopg://db/qadam"
    )
    app = create_app("development")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db/qadam"


def test_migrations_create_exactly_the_models_schema(app):
    """A model change without a migration fails here."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": compared_with_migrations}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_health_check_answers_without_login(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_every_asset_is_served_from_static(app, client):
    """No CDN, external font or tracker: pages reference only our own files."""
    html = client.get("/login").get_data(as_text=True)
    references = [r for r in re.findall(r'(?:src|href)="([^"]+)"', html) if not r.startswith("#")]
    assert any(ref.startswith("/static/") for ref in references)
    assert all(ref.startswith("/") and not ref.startswith("//") for ref in references)
    with client.get("/static/css/app.css") as response:
        css = response.get_data(as_text=True)
    assert "url(" not in css and "@import" not in css
