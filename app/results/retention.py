"""What retention removes from a child's school results: the teachers' free-text comments,
current and earlier (marks and percentages stay, so the counts remain)."""

from sqlalchemy import select, update

from app.children.models import Child
from app.extensions import db
from app.results.models import TermResult, TermResultHistory


def anonymise_results(child: Child) -> None:
    results = select(TermResult.id).where(TermResult.child_id == child.id)
    db.session.execute(
        update(TermResultHistory)
        .where(TermResultHistory.result_id.in_(results))
        .values(comment=None)
        .execution_options(synchronize_session=False)
    )
    # A result that held only a comment (grade 1) keeps a placeholder: something recorded.
    db.session.execute(
        update(TermResult)
        .where(TermResult.child_id == child.id, TermResult.comment.is_not(None))
        .values(comment="—")
        .execution_options(synchronize_session=False)
    )
