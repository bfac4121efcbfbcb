"""Numbers typed or posted by a person: read safely, or not at all."""

import re

WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")  # ASCII digits: "²" and "٣" are digits to str.isdigit


def whole_number(raw: object) -> int | None:
    """A form's or a query's whole number (an id, a column): None for anything else, as the
    record it does not name, never an error: "²", "-1", "1e3", thirty digits, a list."""
    if isinstance(raw, str) and WHOLE_NUMBER.fullmatch(raw):
        return int(raw)
    return None
