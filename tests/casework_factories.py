"""factory_boy factories of placements and visit reports (issue 6)."""

from datetime import date

import factory

from app.casework.models import Placement, PlacementKind, VisitKind, VisitOutcome, VisitReport
from tests.factories import Base


class PlacementFactory(Base):
    class Meta:
        model = Placement

    child_id = factory.LazyAttribute(lambda o: o.child_obj.id)
    kind = PlacementKind.RELATIVES
    starts_on = date(2026, 3, 2)
    district = "Сынақ ауданы"
    social_worker_id = factory.LazyAttribute(lambda o: o.worker.id)
    created_by_id = factory.LazyAttribute(lambda o: o.worker.id)

    class Params:
        child_obj = None
        worker = None


class VisitReportFactory(Base):
    class Meta:
        model = VisitReport

    child_id = factory.LazyAttribute(lambda o: o.placement.child_id)
    placement_id = factory.LazyAttribute(lambda o: o.placement.id)
    kind = VisitKind.HOME_VISIT
    visited_on = date(2026, 10, 5)
    present = "Әжесі, бала"
    outcome = VisitOutcome.NO_CONCERNS
    author_id = factory.LazyAttribute(lambda o: o.worker.id)
    updated_by_id = factory.LazyAttribute(lambda o: o.worker.id)

    class Params:
        placement = None
        worker = None
