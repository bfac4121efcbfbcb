/* A form that works without a connection.
 *
 * Without JavaScript the form is a plain POST. With it, the form is sent as before when the
 * server can be reached; offline, or when sending fails, it is kept in the outbox (sealed for
 * the kinds the server names) and the sync sends it later. The record's id is made on the
 * phone, so a form that reached the server although the answer was lost is not saved twice.
 * What was typed is never lost: when the server answers that the session lapsed or the form's
 * token is stale, the form is kept too, and sent after the next login.
 *
 * A subclass names its `selector` and `kind`, and gives `payload(form)` (null while the form is
 * incomplete), `recordId(form)`, `savedMessage()`, `incompleteMessage()` and
 * `afterSave(form, draft)`; or, instead of payload() and recordId(), its own `draft(form)`;
 * and a `start()` that ends with `this.listen()`. Built as every form script is (form_script.js).
 */

import { decisionLink, listDecisions } from "./decisions.js";
import { FormScript } from "./form_script.js";
import { SealingUnavailable } from "./seal.js";

const TIMEOUT_MS = 15000;
// Answers a person has to read (the form with its errors, a refusal): shown, not kept.
const SHOWN = new Set([400, 404, 409, 422]);

export class OfflineForm extends FormScript {
  busy = false;
  kept = null; // the scope of the entry this page kept last

  listen() {
    document.addEventListener("submit", (event) => this.onSubmit(event), true);
    this.sync.addEventListener("change", (event) => this.onSyncChange(event.detail));
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
      const answer = online ? await this.send(form) : "unreachable";
      if (answer !== "shown") await this.keep(form, answer === "login");
    } finally {
      this.busy = false;
    }
  }

  /* Send the form as the browser would: "shown", "login" (log in again) or "unreachable". */
  async send(form) {
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        cache: "no-store",
        // A lapsed session no longer knows the page's language: the answer is in it anyway.
        headers: { "Accept-Language": this.config.lang },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      return "unreachable"; // no network, or no answer in time
    }
    if (this.loginNeeded(response)) return "login";
    if ((response.ok && response.redirected) || SHOWN.has(response.status)) {
      await this.show(response);
      return "shown";
    }
    return "unreachable"; // a server error: the outbox sends it later
  }

  /* The server marks a stale CSRF token; a lapsed session ends on the login page. */
  loginNeeded(response) {
    if (response.status === 401 || response.headers.has(this.config.login_needed_header)) {
      return true;
    }
    return response.redirected && new URL(response.url).pathname === this.config.urls.login;
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

  /* The outbox entry for the form; null while it is incomplete. */
  draft(form) {
    const payload = this.payload(form);
    if (!payload) return null;
    const recordId = this.recordId(form);
    return {
      kind: this.kind,
      record_id: recordId,
      base_version: 0,
      payload, // sealed: nothing of it stays readable on the phone
      scope: `${this.kind}:${recordId}`,
      summary: null,
    };
  }

  /* Keep the form in the outbox; say so only once the phone has stored it. */
  async keep(form, loginNeeded = false) {
    const state = form.querySelector("[data-sync-state]");
    const error = form.querySelector("[data-outbox-error]");
    const draft = this.draft(form);
    if (!draft) {
      this.say(state, "incomplete", this.incompleteMessage());
      return;
    }
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
    this.kept = draft.scope;
    this.afterSave(form, draft);
    if (loginNeeded) this.sayLogin(state);
    else this.say(state, "saved", [this.text.get("saved"), this.savedMessage()].join(" ").trim());
    this.sync.changed(true);
    this.sync.run();
  }

  say(line, state, message, link = null) {
    line.hidden = false;
    line.dataset.state = state;
    line.replaceChildren(message);
    if (link) line.append(" ", link);
  }

  /* Kept because the server asked for a login: a link to it, back to this page after. */
  sayLogin(line) {
    const link = document.createElement("a");
    const next = new URLSearchParams({ next: location.pathname + location.search });
    link.href = `${this.config.urls.login}?${next}`;
    link.textContent = this.text.get("log_in");
    this.say(line, "login", this.text.get("login_to_send"), link);
  }

  /* Where the page says what became of the entry of `scope` (a page with one form: its own). */
  stateLine(_scope) {
    return document.querySelector(`${this.selector} [data-sync-state]`);
  }

  /* Once the server has what this page kept: sent, or sent but waiting for a decision. */
  async onSyncChange({ confirmedScopes }) {
    const scope = this.kept;
    const line = this.stateLine(scope);
    if (!scope || !line || !confirmedScopes.includes(scope)) return;
    const userId = this.config.user_id;
    if ((await this.outbox.list(userId)).some((entry) => entry.scope === scope)) return;
    const decision = (await listDecisions(this.outbox, userId)).find((d) => d.scope === scope);
    if (decision) {
      const link = decisionLink(this.outbox, userId, decision, this.text.get("decide"));
      this.say(line, "conflict", this.text.get("conflict_on_form"), link);
    } else {
      this.say(line, "synced", this.text.get("synced_at", { time: this.text.time(new Date()) }));
    }
  }
}
