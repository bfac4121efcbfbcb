"""Fold a name typed in Cyrillic, Latin-script Kazakh or a common transliteration to one
Latin skeleton, so that "Нұрлан", "Нурлан", "Nūrlan" and "Nurlan" are found alike.

The skeleton is for matching only, never shown: Kazakh letters fold into their nearest
Russian-Cyrillic sound (ұ, ү → u; қ → k; ғ → g; ң → n; ә → a; ө → o; і → i), and Latin
spellings (the 2021 Kazakh alphabet and the usual passport and English transliterations)
fold the same way; doubled letters count once.
"""

import re
import unicodedata

CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e",
    "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "k", "л": "l",
    "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "h", "һ": "h", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "i", "і": "i", "ь": "", "э": "e",
    "ю": "iu", "я": "ia",
}  # fmt: skip
# Latin letters of the Kazakh alphabet (2021) and transliterations, before accents are dropped.
LATIN_LETTERS = {"ş": "sh", "ç": "ch", "ı": "i", "j": "zh", "x": "h", "q": "k", "w": "u", "y": "i"}
# Digraphs that English-style transliteration writes for one Cyrillic letter.
LATIN_DIGRAPHS = (("kh", "h"), ("yu", "iu"), ("ya", "ia"), ("yo", "e"), ("ye", "e"), ("dzh", "zh"))


def fold(text: str) -> str:
    """The matching skeleton of one piece of text: lower-case Latin letters and spaces."""
    text = text.casefold()
    for digraph, single in LATIN_DIGRAPHS:
        text = text.replace(digraph, single)
    out = []
    for char in text:
        if char in CYRILLIC:
            out.append(CYRILLIC[char])
        elif char in LATIN_LETTERS:
            out.append(LATIN_LETTERS[char])
        else:
            base = unicodedata.normalize("NFKD", char)[0]
            out.append(LATIN_LETTERS.get(base, base) if base.isalpha() else " ")
    folded = re.sub(r"(\w)\1+", r"\1", "".join(out))  # Ілияс/Ilyas, Аллаберген/Alabergen
    return re.sub(r"\s+", " ", folded).strip()


def search_key(*names: str | None) -> str:
    return fold(" ".join(name for name in names if name))


def query_words(query: str) -> list[str]:
    """The folded words of a search; each must occur in a child's key."""
    return [word for word in fold(query).split(" ") if word][:5]
