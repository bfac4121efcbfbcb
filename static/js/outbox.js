/* The outbox: every offline-capable write is stored here, on the device, before it is sent.
 *
 * One IndexedDB database, "qadam", with two stores:
 *   entries  one per op, keyed by op_id (a UUIDv4, also the server's idempotency key);
 *            a visit report or an incident is kept sealed for the server (seal.js), any
 *            other entry's payload and summary locked with its user's own key (locked.js)
 *   meta     small facts about this device: its id, its op counter, when each user last synced
 * An entry is deleted only when the server has confirmed it; nothing expires by age.
 */

import { lock, unlock } from "./locked.js";
import { mustSeal, seal } from "./seal.js";

const DB_NAME = "qadam";
const DB_VERSION = 1;
export const WAITING = "waiting";
export const SENDING = "sending";
export const SYNCED = "synced";
export const NEEDS_ATTENTION = "needs_attention";
export const CONFLICT = "conflict";
const UNSYNCED = new Set([WAITING, SENDING, NEEDS_ATTENTION, CONFLICT]);

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/* Resolves once the transaction has committed to disk, never before. */
function committed(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new DOMException("Transaction aborted", "AbortError"));
  });
}

function openDatabase() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      const entries = db.createObjectStore("entries", { keyPath: "op_id" });
      entries.createIndex("user_seq", ["user_id", "seq"]);
      db.createObjectStore("meta", { keyPath: "key" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new DOMException("Database blocked", "InvalidStateError"));
  });
}

/* Device time with its offset, as the server expects: 2026-11-18T08:14:03.120+05:00. */
export function localIsoTime(date = new Date()) {
  const pad = (n, width = 2) => String(Math.abs(n)).padStart(width, "0");
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `.${pad(date.getMilliseconds(), 3)}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  );
}

/* The op id and what an entry holds of its draft: sealed for the server, or locked with the
 * user's key; never in the clear. */
async function content(userId, draft, opId) {
  const clear = { op_id: opId, user_id: userId, kind: draft.kind, record_id: draft.record_id };
  if (mustSeal(draft.kind)) {
    return { op_id: opId, sealed: await seal(clear, draft.payload), summary: null };
  }
  const locked = await lock(clear, { payload: draft.payload, summary: draft.summary || null });
  return { op_id: opId, locked, summary: null };
}

/* The entry as the rest of the code reads it: with its payload and summary. One this page
 * cannot open (locked for another key) keeps neither, and says so. */
async function opened(entry) {
  if (!entry.locked) return entry;
  const content = await unlock(entry);
  if (!content) return { ...entry, payload: null, summary: null, unreadable: true };
  return { ...entry, payload: content.payload, summary: content.summary };
}

export function isUnsynced(entry) {
  return UNSYNCED.has(entry.status);
}

export class Outbox {
  constructor(db) {
    this.db = db;
  }

  static async open() {
    return new Outbox(await openDatabase());
  }

  /* Store new entries for `userId` in one transaction; resolves after the commit.
   * Each draft is {kind, record_id, base_version, payload, scope, summary}: `scope` groups the
   * entries of one screen (a roll call), `summary` names the record for a person. A kind the
   * server lists as sealed is encrypted first (seal.js): its entry keeps `sealed` instead of
   * `payload`, and no summary; any other kind keeps both locked with the user's key. If this
   * browser cannot encrypt, nothing is stored and the promise rejects with a
   * SealingUnavailable whose message is for the user. */
  async add(userId, drafts) {
    const now = new Date();
    // Sealed before the transaction opens: it would commit early while waiting for crypto.
    const contents = await Promise.all(
      drafts.map((draft) => content(userId, draft, crypto.randomUUID()))
    );
    const tx = this.db.transaction(["entries", "meta"], "readwrite", { durability: "strict" });
    const done = committed(tx);
    const meta = tx.objectStore("meta");
    const entries = tx.objectStore("entries");
    const [deviceRow, seqRow] = await Promise.all([
      promised(meta.get("device_id")),
      promised(meta.get("seq")),
    ]);
    const deviceId = deviceRow ? deviceRow.value : crypto.randomUUID();
    let seq = seqRow ? seqRow.value : 0;
    const stored = drafts.map((draft, index) => {
      seq += 1;
      const entry = {
        user_id: userId,
        kind: draft.kind,
        record_id: draft.record_id,
        base_version: draft.base_version,
        ...contents[index],
        recorded_at: localIsoTime(now),
        seq,
        device_id: deviceId,
        status: WAITING,
        attempts: 0,
        last_error: null,
        created_at: now.toISOString(),
        scope: draft.scope || null,
      };
      entries.add(entry);
      return entry;
    });
    meta.put({ key: "device_id", value: deviceId });
    meta.put({ key: "seq", value: seq });
    await done;
    return Promise.all(stored.map(opened));
  }

  /* Every entry of `userId` not yet confirmed by the server, in the order it was recorded,
   * opened with the page's key (see opened()). */
  async list(userId) {
    const tx = this.db.transaction("entries", "readonly");
    const range = IDBKeyRange.bound([userId, -Infinity], [userId, Infinity]);
    const all = await promised(tx.objectStore("entries").index("user_seq").getAll(range));
    return Promise.all(all.filter(isUnsynced).map(opened));
  }

  /* How many entries of other users wait on this phone: their number, nothing of them. */
  async othersWaiting(userId) {
    const all = await promised(this.db.transaction("entries").objectStore("entries").getAll());
    return all.filter((entry) => entry.user_id !== userId && isUnsynced(entry)).length;
  }

  async deviceId() {
    const row = await promised(this.db.transaction("meta").objectStore("meta").get("device_id"));
    return row ? row.value : null;
  }

  /* Change entries in one transaction: `changes` maps op_id to a function(entry) that edits
   * the entry in place, or returns null to delete it (only when the server confirmed it). */
  async update(changes) {
    const tx = this.db.transaction("entries", "readwrite", { durability: "strict" });
    const done = committed(tx);
    const store = tx.objectStore("entries");
    await Promise.all(
      Object.entries(changes).map(async ([opId, change]) => {
        const entry = await promised(store.get(opId));
        if (!entry) return;
        if (change(entry) === null) store.delete(opId);
        else store.put(entry);
      })
    );
    await done;
  }

  /* Entries a crash left "sending" have not been confirmed: they wait again. */
  async recover(userId) {
    const stuck = (await this.list(userId)).filter((entry) => entry.status === SENDING);
    const changes = {};
    for (const entry of stuck) {
      changes[entry.op_id] = (e) => {
        e.status = WAITING;
      };
    }
    if (stuck.length) await this.update(changes);
  }

  async getMeta(key) {
    const row = await promised(this.db.transaction("meta").objectStore("meta").get(key));
    return row ? row.value : null;
  }

  async setMeta(values) {
    const tx = this.db.transaction("meta", "readwrite");
    const done = committed(tx);
    for (const [key, value] of Object.entries(values)) tx.objectStore("meta").put({ key, value });
    await done;
  }
}
