"""An anonymised child's casework: the household's names and phones and every free-text
note go; the placement kinds and dates, the visit dates and ratings stay (they name nobody)."""

from sqlalchemy import delete, select, update

from app.casework.models import CHECKS, Placement, PlacementCaregiver, VisitAction, VisitReport
from app.children.models import Child
from app.extensions import db


def anonymise_casework(child: Child) -> None:
    placements = select(Placement.id).where(Placement.child_id == child.id)
    db.session.execute(
        delete(PlacementCaregiver).where(PlacementCaregiver.placement_id.in_(placements))
    )
    reports = select(VisitReport.id).where(VisitReport.child_id == child.id)
    db.session.execute(delete(VisitAction).where(VisitAction.report_id.in_(reports)))
    blank = {"present": ""} | {f"{item}_note": "" for item in CHECKS}
    db.session.execute(
        update(VisitReport)
        .where(VisitReport.child_id == child.id)
        .values(**blank)
        .execution_options(synchronize_session=False)
    )
