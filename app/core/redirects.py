"""Where to go after a form: a path on this site, read the way a browser reads it."""

from urllib.parse import urlsplit

from flask import url_for

# A browser drops these anywhere in a URL (WHATWG URL parsing), so "/\t/evil.example" is
# "//evil.example" to it: another site.
TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
C0_OR_SPACE = "".join(chr(code) for code in range(0x21))  # stripped from both ends


def safe_next(target: str | None) -> str:
    """`target` if a browser would take it for a path on this site, else the home page.

    Read as a browser reads it: ends trimmed, tabs and newlines dropped, backslashes taken
    for slashes. Anything with a scheme or a host ("//…", "/\\…", "https:…"), or a control
    character, is not a path here.
    """
    path = (target or "").strip(C0_OR_SPACE).translate(TAB_OR_NEWLINE).replace("\\", "/")
    if not path.startswith("/") or path.startswith("//"):
        return url_for("core.index")
    if any(char < " " or char == "\x7f" for char in path):
        return url_for("core.index")
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        return url_for("core.index")
    return path
