"""Placements and visit reports: pages of the child's social worker (the committee reads)."""

from flask import Blueprint

from app.casework import models  # noqa: F401 - the tables

bp = Blueprint("casework", __name__, template_folder="templates")
