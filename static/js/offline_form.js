/* A form that works without a connection.
 *
 * Without JavaScript the form is a plain POST. With it, the form is sent as before when the
 * server can be reached; offline, or when sending fails, it is kept in the outbox (sealed for
 * the kinds the server names) and the sync sends it later. The record's id is made on the
 * phone, so a form that reached the server although the answer was lost is not saved twice.
 *
 * A subclass names its `selector` and `kind`, and gives `payload(form)` (null while the form is
 * incomplete), `recordId(form)`, `savedMessage()`, `incompleteMessage()` and `afterSave(form)`.
 */

import { SealingUnavailable } from "./seal.js";

const TIMEOUT_MS = 15000;
// Answers a person has to read (the form with its errors, a refusal): shown, not kept.
const SHOWN = new Set([400, 404, 409, 422]);

export class OfflineForm {
  constructor(outbox, sync, text, config) {
    this.outbox = outbox;
    this.sync = sync;
    this.text = text;
    this.config = config;
    this.busy = false;
  }

  listen() {
    document.addEventListener("submit", (event) => this.onSubmit(event), true);
  }

  async onSubmit(event) {
    const form = event.target;
    if (!form.matches || !form.matches(this.selector)) return;
    event.preventDefault();
    event.stopPropagation();
    if (this.busy) return;
    this.busy = true;
    try {
      const online = this.sync.online !== false && navigator.onLine !== false;
      if (!(online && (await this.send(form)))) await this.keep(form);
    } finally {
      this.busy = false;
    }
  }

  /* Send the form as the browser would; false if it did not get through. */
  async send(form) {
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        cache: "no-store",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      return false; // no network, or no answer in time
    }
    if ((response.ok && response.redirected) || SHOWN.has(response.status)) {
      await this.show(response);
      return true;
    }
    return false; // a server error or an expired form: the outbox sends it later
  }

  /* Show the server's answer in place of this page, as a normal submission would. */
  async show(response) {
    const html = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const selector of ["main", "#flash"]) {
      const fresh = html.querySelector(selector);
      const current = document.querySelector(selector);
      if (fresh && current) current.replaceWith(document.adoptNode(fresh));
    }
    document.title = html.title;
    if (response.redirected) history.pushState(null, "", response.url);
  }

  /* Keep the form in the outbox; say so only once the phone has stored it. */
  async keep(form) {
    const state = form.querySelector("[data-sync-state]");
    const error = form.querySelector("[data-outbox-error]");
    const payload = this.payload(form);
    if (!payload) {
      this.say(state, "incomplete", this.incompleteMessage());
      return;
    }
    const recordId = this.recordId(form);
    const draft = {
      kind: this.kind,
      record_id: recordId,
      base_version: 0,
      payload, // sealed: nothing of it stays readable on the phone
      scope: `${this.kind}:${recordId}`,
      summary: null,
    };
    try {
      await this.outbox.add(this.config.user_id, [draft]);
    } catch (failure) {
      // Nothing was stored; what the person wrote is still in the form. A browser that cannot
      // encrypt says so in its own words; any other failure is the storage's.
      if (failure instanceof SealingUnavailable) error.textContent = failure.message;
      error.hidden = false;
      state.hidden = true;
      return;
    }
    error.hidden = true;
    this.afterSave(form);
    this.say(state, "saved", `${this.text.get("saved")} ${this.savedMessage()}`);
    this.sync.changed(true);
    this.sync.run();
  }

  say(line, state, message) {
    line.hidden = false;
    line.dataset.state = state;
    line.textContent = message;
  }
}
