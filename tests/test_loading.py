"""One way to load a record or refuse it (issue 11, point 4): views and sync ops load through
app/core/loading.py; the services only say who may see a record, and never answer 404."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
# Where a request may end in a 404: the loader, the audit's refuse() itself, the role guards.
MAY_ABORT = {"core/loading.py", "core/audit.py", "auth/permissions.py", "auth/public.py"}


def aborting_calls(path: Path) -> list[str]:
    return [
        f"{path.relative_to(APP)}:{node.lineno} {node.func.id}()"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"abort", "refuse"}
    ]


def test_only_views_and_the_loader_answer_404():
    outside = [
        call
        for path in sorted(APP.rglob("*.py"))
        if not (path.name == "views.py" or path.name.endswith("_views.py"))
        and str(path.relative_to(APP)) not in MAY_ABORT
        for call in aborting_calls(path)
    ]
    assert outside == []
