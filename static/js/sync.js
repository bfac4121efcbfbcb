/* Sending the outbox: when, how much, and what each answer of the server means.
 *
 * "Online" means our own server answered a no-cache ping, not navigator.onLine. A network
 * error, a timeout or a 5xx keeps entries waiting and backs off (doubling, at most 5 minutes).
 * A batch the server refused as a whole (429, 413, another 4xx) waits too: only an op the
 * server judged and rejected needs a person. An expired session or CSRF token keeps the whole
 * queue and asks the user to log in again.
 * Only the current user's entries are ever sent, in the order they were recorded.
 */

import { addDecisions } from "./decisions.js";
import { NEEDS_ATTENTION, SENDING, WAITING, localIsoTime } from "./outbox.js";

const BATCH = 200;
const TIMEOUT_MS = 15000;
const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 5 * 60 * 1000;
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;
// "superseded": a later op of the same record from this phone was applied first.
const CONFIRMED = new Set(["applied", "duplicate", "conflict", "superseded"]);

class LoginNeeded extends Error {}

async function fetchWithTimeout(url, options = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    return await fetch(url, { ...options, signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

export class Sync extends EventTarget {
  constructor(outbox, config) {
    super();
    this.outbox = outbox;
    this.config = config;
    this.userId = config.user_id;
    this.csrfToken = config.csrf_token;
    this.delay = FIRST_RETRY_MS;
    this.timer = null;
    this.running = null;
    this.again = false;
    this.online = null; // unknown until the server has been asked
    this.loginNeeded = false;
    this.confirmedScopes = new Set();
    this.notBefore = 0; // a server that said "Retry-After" is not asked again before this
    this.serverOffset = null; // the server's clock minus this phone's, as last seen (ms)
    this.channel = "BroadcastChannel" in window ? new BroadcastChannel("qadam-outbox") : null;
    if (this.channel) this.channel.onmessage = () => this.changed();
  }

  /* Listen for every moment worth trying: load, online, visible again, the button. */
  start() {
    window.addEventListener("online", () => {
      this.delay = FIRST_RETRY_MS; // a new connection: start the back-off afresh
      this.run();
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.run();
    });
    return this.run();
  }

  /* Run a sync pass now; a call during a pass makes it run once more afterwards. */
  run() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.exclusively(() => this.pass());
        } catch (error) {
          console.error(error); // the entries stay on the phone; try again later
          this.retryLater();
        }
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /* One tab at a time sends; this one waits for another tab's pass to end. */
  async exclusively(task) {
    if (!navigator.locks) return task();
    return navigator.locks.request("qadam-sync", task);
  }

  async pass() {
    await this.outbox.recover(this.userId);
    const entries = await this.outbox.list(this.userId);
    // One this page cannot open (locked with another key) waits for a page that can.
    const waiting = entries.filter((e) => e.status === WAITING && !e.unreadable);
    if (!waiting.length) {
      this.stopTimer();
      return this.changed();
    }
    if (Date.now() < this.notBefore) return this.retryLater(this.notBefore - Date.now());
    if (!(await this.ping())) return this.retryLater();
    const deviceId = await this.outbox.deviceId();
    try {
      let keepTrying = false;
      for (let start = 0; start < waiting.length; start += BATCH) {
        const outcome = await this.send(deviceId, waiting.slice(start, start + BATCH));
        keepTrying = keepTrying || outcome === "retry";
        if (outcome === "stop") return this.retryLater(this.notBefore - Date.now());
      }
      this.lastSync = new Date();
      await this.outbox.setMeta({ [`last_sync:${this.userId}`]: this.lastSync.toISOString() });
      if (keepTrying) this.retryLater();
      else this.succeeded();
    } catch (error) {
      if (!(error instanceof LoginNeeded)) throw error;
      this.loginNeeded = true;
      this.stopTimer();
    } finally {
      this.changed(true);
    }
  }

  async ping() {
    try {
      const response = await fetchWithTimeout(this.config.urls.ping, { cache: "no-store" });
      this.online = response.status < 500;
      this.sawServerTime(Date.parse(response.headers.get("Date")));
    } catch (error) {
      this.online = false;
    }
    this.changed();
    return this.online;
  }

  /* The server's clock as an answer gave it (a Date header, a sync's server_time). */
  sawServerTime(serverNow) {
    if (Number.isFinite(serverNow)) this.serverOffset = serverNow - Date.now();
  }

  /* Now, as far as this phone can tell: its own clock, or the server's if that is earlier. */
  correctedNow() {
    return new Date(Date.now() + Math.min(0, this.serverOffset ?? 0));
  }

  /* Entries a person chose to send again after a refusal of the phone's clock: stamped with a
   * corrected time, the time first given kept in `restamped_from` (sent with the op). */
  async restamp(entries) {
    const due = entries.filter((e) => e.restamp);
    if (!due.length) return;
    const now = localIsoTime(this.correctedNow());
    const changes = {};
    for (const entry of due) {
      changes[entry.op_id] = (e) => {
        e.restamped_from = e.restamped_from || e.recorded_at;
        e.recorded_at = now;
        delete e.restamp;
      };
      changes[entry.op_id](entry);
    }
    await this.outbox.update(changes);
  }

  /* Send one batch; answers "done", "retry" (some wait again) or "stop" (back off). */
  async send(deviceId, entries) {
    await this.restamp(entries);
    await this.setStatus(entries, SENDING);
    const ops = entries.map((e) => ({
      op_id: e.op_id,
      kind: e.kind,
      record_id: e.record_id,
      base_version: e.base_version,
      recorded_at: e.recorded_at,
      seq: e.seq,
      ...(e.restamped_from ? { restamped_from: e.restamped_from } : {}),
      // A sealed entry travels as it is stored: only the server can open it.
      ...(e.sealed ? { sealed: e.sealed } : { payload: e.payload }),
    }));
    let response;
    try {
      response = await this.post({ device_id: deviceId, ops });
    } catch (error) {
      if (error instanceof LoginNeeded) {
        await this.setStatus(entries, WAITING);
        throw error;
      }
      await this.setStatus(entries, WAITING, this.config.strings.network_error, true);
      return "stop"; // a network error or a timeout
    }
    if (response.status >= 500) {
      await this.setStatus(entries, WAITING, this.config.strings.server_error, true);
      return "stop";
    }
    if (!response.ok) return this.refused(deviceId, entries, response);
    const body = await response.json().catch(() => ({}));
    this.sawServerTime(Date.parse(body.server_time));
    return this.settle(entries, body.results || []);
  }

  /* The batch as a whole was refused (429, 413 or any other 4xx): no op in it was judged, so
   * none needs a person. They wait and go again with back-off, not before a Retry-After; a
   * batch too large is split in halves, and only an entry too large by itself is set aside. */
  async refused(deviceId, entries, response) {
    if (response.status !== 413) {
      this.notBefore = Date.now() + retryAfterMs(response.headers.get("Retry-After"));
      await this.setStatus(entries, WAITING, this.config.strings.batch_refused, true);
      return "stop";
    }
    if (entries.length === 1) {
      await this.setStatus(entries, NEEDS_ATTENTION, this.config.strings.too_large, true);
      return "done";
    }
    await this.setStatus(entries, WAITING);
    const half = Math.ceil(entries.length / 2);
    let outcome = "done";
    for (const part of [entries.slice(0, half), entries.slice(half)]) {
      const sent = await this.send(deviceId, part);
      if (sent === "stop") return sent; // the rest waits, in the order it was recorded
      if (sent === "retry") outcome = sent;
    }
    return outcome;
  }

  /* POST the batch; a missing session or stale CSRF token becomes LoginNeeded. */
  async post(batch, retried = false) {
    const response = await fetchWithTimeout(this.config.urls.sync, {
      method: "POST",
      cache: "no-store",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrfToken || "" },
      body: JSON.stringify(batch),
    });
    if (response.status === 401) throw new LoginNeeded();
    if (response.status === 400) {
      const body = await response.clone().json().catch(() => ({}));
      if (body.error === "csrf") {
        if (!retried && (await this.refreshToken())) return this.post(batch, true);
        throw new LoginNeeded();
      }
    }
    return response;
  }

  /* A page shown from the cache may carry an old token: ask the server for this session's. */
  async refreshToken() {
    try {
      const response = await fetchWithTimeout(location.pathname, { cache: "no-store" });
      if (!response.ok || response.redirected) return false;
      const html = new DOMParser().parseFromString(await response.text(), "text/html");
      const block = html.getElementById("qadam-config");
      const fresh = block && JSON.parse(block.textContent);
      if (!fresh || fresh.user_id !== this.userId || !fresh.csrf_token) return false;
      this.csrfToken = fresh.csrf_token;
      return true;
    } catch (error) {
      return false;
    }
  }

  async settle(entries, results) {
    const byId = new Map(results.map((r) => [r.op_id, r]));
    const changes = {};
    const decisions = [];
    let retry = false;
    for (const entry of entries) {
      const result = byId.get(entry.op_id);
      if (result && CONFIRMED.has(result.result)) {
        changes[entry.op_id] = () => null;
        if (entry.scope) this.confirmedScopes.add(entry.scope);
        // A conflict a person must decide (also in a replayed answer): kept until they do.
        if (result.link) decisions.push(decision(entry, result.link));
      } else if (result && result.result === "rejected") {
        changes[entry.op_id] = mark(NEEDS_ATTENTION, result.reason, true, result.code);
      } else {
        // Still being applied (409), or the server could not save it yet: wait and retry.
        retry = true;
        const reason = result && result.result === "error" ? result.reason : null;
        changes[entry.op_id] = mark(WAITING, reason, Boolean(reason));
      }
    }
    // Before the entries go: a pass cut short in between sends them again, never loses this.
    if (decisions.length) await addDecisions(this.outbox, this.userId, decisions);
    await this.outbox.update(changes);
    const now = new Date().toISOString();
    const synced = {};
    for (const scope of this.confirmedScopes) synced[`synced:${this.userId}:${scope}`] = now;
    if (this.confirmedScopes.size) await this.outbox.setMeta(synced);
    return retry ? "retry" : "done";
  }

  async setStatus(entries, status, error = null, attempted = false) {
    const changes = {};
    for (const entry of entries) changes[entry.op_id] = mark(status, error, attempted);
    await this.outbox.update(changes);
    this.changed();
  }

  /* Try again after the back-off's delay, or `atLeast` ms if that is longer. */
  retryLater(atLeast = 0) {
    this.stopTimer();
    this.timer = setTimeout(() => this.run(), Math.max(this.delay, atLeast));
    this.delay = Math.min(this.delay * 2, MAX_RETRY_MS);
  }

  succeeded() {
    this.stopTimer();
    this.delay = FIRST_RETRY_MS;
    this.loginNeeded = false;
  }

  stopTimer() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /* Tell this page that the outbox or the connection changed; `others`: other tabs too. */
  changed(others = false) {
    const confirmedScopes = [...this.confirmedScopes];
    this.confirmedScopes.clear();
    this.dispatchEvent(new CustomEvent("change", { detail: { confirmedScopes } }));
    if (others && this.channel) this.channel.postMessage("changed");
  }
}

function decision(entry, link) {
  return { link, kind: entry.kind, scope: entry.scope, at: new Date().toISOString() };
}

/* A Retry-After header (seconds, or an HTTP date) in ms; 0 without one, at most an hour. */
function retryAfterMs(header) {
  if (!header) return 0;
  const ms = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : 0;
}

function mark(status, error, attempted, code = null) {
  return (entry) => {
    entry.status = status;
    if (status === NEEDS_ATTENTION) entry.rejection_code = code; // e.g. "clock_ahead"
    if (attempted) entry.attempts += 1;
    if (error !== null && error !== undefined) entry.last_error = error;
    if (status === NEEDS_ATTENTION && !entry.last_error) entry.last_error = "";
  };
}
