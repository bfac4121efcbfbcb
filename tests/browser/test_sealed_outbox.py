"""Sealed outbox entries in a real Chromium (issue 6, point 5).

A test-only kind, "sealed_test", is made a sealed kind for the length of each test; the draft
goes into the outbox through the page's own modules, as a visit report's form would put it.
What the phone keeps is read raw from IndexedDB: the draft's words must appear nowhere.
"""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.offline import (
    badge,
    expect_waiting,
    go_offline,
    go_online,
    outbox,
    sync_bodies,
    text,
)
from tests.sealing import TEST_KIND, register_test_kind

SECRET_WORDS = "Zarina-sleeps-at-her-aunts-on-Tulpar-street"
DRAFT = {
    "kind": TEST_KIND,
    "record_id": "00000000-0000-4000-8000-000000000042",
    "base_version": 0,
    "payload": {"note": SECRET_WORDS, "risk": "high"},
    "scope": "visit:42",
    "summary": {"child": SECRET_WORDS, "day": "2026-11-18", "status": SECRET_WORDS},
}

# Every object store of the phone's database, as stored.
RAW_DATABASE_JS = """
async () => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("qadam");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const dump = {};
  for (const name of db.objectStoreNames) {
    dump[name] = await new Promise((resolve, reject) => {
      const request = db.transaction(name).objectStore(name).getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  db.close();
  return dump;
}
"""

# Outbox.add in a page that is not a secure context: it must refuse, not store plain text.
ADD_WITHOUT_WEBCRYPTO_JS = """
async (draft) => {
  Object.defineProperty(window, "isSecureContext", { value: false });
  const { Outbox } = await import("/static/js/outbox.js");
  const config = JSON.parse(document.getElementById("qadam-config").textContent);
  try {
    await (await Outbox.open()).add(config.user_id, [draft]);
    return "stored";
  } catch (error) {
    return error.message;
  }
}
"""


@pytest.fixture
def applied(app, monkeypatch):
    return register_test_kind(app, monkeypatch)


def test_a_sealed_entry_is_unreadable_on_the_phone_and_applied_once_by_the_server(
    page, log_in, worker, applied
):
    log_in(page, worker)
    go_offline(page.context)
    [stored] = outbox(page, "add", [DRAFT])

    raw = page.evaluate(RAW_DATABASE_JS)
    assert SECRET_WORDS not in json.dumps(raw)
    [entry] = raw["entries"]
    assert entry["op_id"] == stored["op_id"] and entry["kind"] == TEST_KIND
    assert "payload" not in entry and entry["summary"] is None
    assert set(entry["sealed"]) == {"key_id", "wrapped_key", "iv", "ciphertext"}

    # The sync panel names it by its kind and the time it was made, nothing else.
    badge(page).tap()
    page.locator("[data-sync-now]").tap()  # offline: it stays, and the panel is drawn again
    expect_waiting(page, 1)
    listed = page.locator("[data-sync-sealed-list] li")
    expect(listed).to_have_count(1)
    expect(listed).to_have_text(text("%(kind)s, %(time)s", kind=TEST_KIND, time="08:30"))
    assert SECRET_WORDS not in page.locator("#sync-panel").inner_text()

    bodies = sync_bodies()
    go_online(page.context)
    expect_waiting(page, 0)
    assert applied == [DRAFT["payload"]]  # opened on the server, handed over in the clear
    [op] = [op for body in bodies for op in body["ops"]]
    assert "payload" not in op and op["sealed"] == entry["sealed"]
    assert SECRET_WORDS not in json.dumps(bodies)
    assert outbox(page) == []
    expect(listed).to_have_count(0)

    page.locator("[data-sync-now]").tap()  # one more pass sends nothing again
    expect(badge(page)).to_have_attribute("data-waiting", "0")
    assert applied == [DRAFT["payload"]]


def test_a_sealed_kind_is_refused_rather_than_stored_when_the_browser_cannot_encrypt(
    page, log_in, worker, applied
):
    log_in(page, worker)
    answer = page.evaluate(ADD_WITHOUT_WEBCRYPTO_JS, DRAFT)
    assert answer == text(
        "This browser cannot encrypt entries, so this one was not saved on the phone. "
        "Open Qadam through its https address, or save it while online."
    )
    assert page.evaluate(RAW_DATABASE_JS).get("entries", []) == []
