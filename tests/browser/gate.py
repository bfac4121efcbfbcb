"""The live server's door, shared by the browser tests' fixtures and helpers (a module of its
own: conftest.py is not imported under one name by both)."""

import io
import threading
from collections.abc import Callable


class Gate:
    """The live server's door. A test's requests pass while it runs; once it has ended, what
    still arrives (a request a test held in a route and never answered is let go when its page
    closes) is turned away with a 503 before it can write, and the rows are deleted only once
    the requests already inside have finished. Else a late write lands in the next test."""

    def __init__(self) -> None:
        self._open = False
        self._inside = 0
        self._changed = threading.Condition()
        # Told (path, body, status) of each POST as its answer starts, before the phone can
        # see it: what the server took, in order (see offline.sync_bodies).
        self.listeners: list[Callable[[str, bytes, int], None]] = []

    def open(self) -> None:
        with self._changed:
            self._open = True

    def close(self, seconds: float = 10) -> None:
        """Turn away what comes next; wait for what is inside."""
        with self._changed:
            self._open = False
            self.listeners = []
            self._changed.wait_for(lambda: self._inside == 0, timeout=seconds)

    def enter(self) -> bool:
        with self._changed:
            if self._open:
                self._inside += 1
            return self._open

    def leave(self) -> None:
        with self._changed:
            self._inside -= 1
            self._changed.notify_all()


GATE = Gate()


def serving(app):
    """The app behind the gate. Werkzeug's development server does not close a response
    whose client went away in the middle (a page navigating on while a script is still
    downloading), so the static file stays open until the garbage collector warns about it:
    it is closed here, whatever happens."""

    def serving_app(environ, start_response):
        if not GATE.enter():
            start_response("503 Service Unavailable", [("Content-Length", "0")])
            return
        try:
            if GATE.listeners and environ["REQUEST_METHOD"] == "POST":
                start_response = _heard(environ, start_response)
            iterable = app(environ, start_response)
            try:
                yield from iterable
            finally:
                if hasattr(iterable, "close"):
                    iterable.close()
        finally:
            GATE.leave()

    return serving_app


def _heard(environ, start_response):
    """Read a POST's body for the gate's listeners, and tell them of it as its answer starts
    (a Playwright request event may arrive only after the page has shown the answer)."""
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    environ["wsgi.input"] = io.BytesIO(body)
    path = environ["PATH_INFO"]

    def heard_start_response(status, headers, *args):
        for listener in list(GATE.listeners):
            listener(path, body, int(status.split()[0]))
        return start_response(status, headers, *args)

    return heard_start_response
