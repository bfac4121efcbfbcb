"""Finding the child a row of an uploaded file names, among the children of given classes.

A file writes a child's name its own way ("Абаев Нұрлан", "Нурлан Абаев Серикулы", family and
given names in two columns); names are compared folded (app/i18n/transliteration.py), word by
word in any order. A row finds a child only if exactly one child of those classes (or of the
class the row names) has every word it writes: never a guess between two children.
"""

from collections.abc import Iterable, Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.children.models import Child, SchoolClass
from app.extensions import db
from app.i18n.transliteration import query_words
from app.uploads.fields import Cell, Field, class_letter, parse_class, text

CHILD = Field(
    "child",
    _l("Child (full name)"),
    False,
    ("Аты-жөні", "Оқушының аты-жөні", "Оқушы", "ФИО", "ФИО ученика", "Ученик", "Full name",
     "Child", "Student", "Pupil"),
)  # fmt: skip
FAMILY_NAME = Field(
    "family_name", _l("Family name"), False, ("Тегі", "Фамилия", "Family name", "Surname")
)
GIVEN_NAME = Field(
    "given_name", _l("Given name"), False, ("Аты", "Имя", "Given name", "First name")
)
CLASS = Field("class_name", _l("Class"), False, ("Сынып", "Класс", "Class"))
NAME_FIELDS = (CHILD, FAMILY_NAME, GIVEN_NAME, CLASS)


def missing_name(mapping: Mapping[str, int]) -> list[str]:
    """The name's columns lacking: one with the full name, or family and given names."""
    if "child" in mapping or {"family_name", "given_name"} <= set(mapping):
        return []
    return [str(CHILD.label)]


class ChildFinder:
    """The children of `classes`, read once for the whole file."""

    def __init__(self, classes: Iterable[SchoolClass]):
        self.classes = {(c.grade, class_letter(c.letter)): c for c in classes}
        ids = [c.id for c in self.classes.values()]
        children = db.session.scalars(select(Child).where(Child.class_id.in_(ids))) if ids else []
        self.children = [(set(child.search_key.split()), child) for child in children]

    def find(self, name: str, class_cell: Cell | None) -> tuple[Child | None, str | None]:
        """The child the row names, or None and the problem to show for the row."""
        words = query_words(name)
        if not words:
            return None, _("The child's name is missing.")
        school_class = None
        if text(class_cell):
            school_class = self._class(class_cell)
            if school_class is None:
                message = _(
                    "“%(class_name)s” is not one of your classes.", class_name=text(class_cell)
                )
                return None, message
        found = [child for keys, child in self.children if set(words) <= keys]
        in_class = [c for c in found if school_class is None or c.class_id == school_class.id]
        if len(in_class) == 1 and len(words) >= 2:
            return in_class[0], None
        if len(in_class) > 1 or (in_class and len(words) < 2):
            return None, _(
                "More than one child in your classes could be “%(name)s”: write the family "
                "and given names in full, or add a column with the class.",
                name=name,
            )
        if found:
            return None, _(
                "%(name)s is not in class %(class_name)s.", name=name, class_name=text(class_cell)
            )
        return None, _("There is no child named “%(name)s” in your classes.", name=name)

    def _class(self, cell: Cell) -> SchoolClass | None:
        grade_letter = parse_class(cell)
        return self.classes.get(grade_letter) if grade_letter else None


def child_name(values: dict[str, Cell | None]) -> str:
    """The name a row writes: one column with the full name, or family and given names."""
    if text(values.get("child")):
        return " ".join(text(values["child"]).split())
    parts = (text(values.get(key)) for key in ("family_name", "given_name"))
    return " ".join(part for part in parts if part)
