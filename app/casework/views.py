"""Casework pages: placements and visit reports (see placement_views and visit_views)."""

from app.casework import conflict_views, placement_views, visit_views  # noqa: F401 - routes
from app.casework.blueprint import bp

__all__ = ["bp"]
