"""The school results blueprint: the teachers' sheets (views.py) and the administration's
subjects (admin_views.py)."""

from flask import Blueprint

bp = Blueprint("results", __name__, template_folder="templates")
