"""Alphabetical order of names as a reader of the page's language expects it.

Names on the roster are mostly Kazakh Cyrillic. Kazakh readers expect the Kazakh alphabet
(Ә after А, І after Ы); other readers expect the Unicode root order, which puts each Kazakh
letter next to its base letter. Ё sorts with Е, as in Russian dictionaries. ICU would give the
same for these letters, but needs a compiled extension on every phone-serving machine; this
table is the part of it we use.
"""

import unicodedata

KAZAKH = "а ә б в г ғ д е ж з и й к қ л м н ң о ө п р с т у ұ ү ф х һ ц ч ш щ ъ ы і ь э ю я"
ROOT = "а ә б в г ғ д е ж з и і й к қ л м н ң о ө п р с т у ұ ү ф х һ ц ч ш щ ъ ы ь э ю я"
EQUIVALENTS = {"ё": "е"}

_ORDERS = {
    "kk": {letter: i for i, letter in enumerate(KAZAKH.split())},
    "root": {letter: i for i, letter in enumerate(ROOT.split())},
}


def _char_key(char: str, order: dict[str, int]) -> tuple[int, int]:
    char = EQUIVALENTS.get(char, char)
    if char in order:
        return (1, order[char])
    # Latin and other scripts: base letter first (é with e), before Cyrillic as in the root order.
    base = unicodedata.normalize("NFKD", char)[0]
    return (0, ord(base))


def sort_key(text: str, lang: str) -> tuple:
    order = _ORDERS["kk" if lang == "kk" else "root"]
    folded = text.casefold()
    # Ties (Е/Ё, е/é) are broken by the exact text, so the order is stable.
    return (tuple(_char_key(c, order) for c in folded if not c.isspace()), folded)


def name_key(lang: str):
    """A key for sorting children by family name, given name, patronymic."""
    return lambda child: tuple(
        sort_key(part or "", lang)
        for part in (child.family_name, child.given_name, child.patronymic)
    )
