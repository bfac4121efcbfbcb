/* The incident report, working without a connection.
 *
 * Without this script the form is a plain POST. With it, the form is sent as before when the
 * server can be reached; offline, or when sending fails, the report is kept in the outbox and
 * sent by the sync later ("incident" ops). The report's id is made here, so a report that
 * reached the server although the answer was lost is not saved twice.
 */

import { SealingUnavailable } from "./seal.js";

const KIND = "incident";
const FORM = "form#incident-form";
const TIMEOUT_MS = 15000;
// Answers a person has to read (the form with its errors, a refusal): shown, not kept.
const SHOWN = new Set([404, 409, 422]);

export class IncidentForm {
  constructor(outbox, sync, text, config) {
    this.outbox = outbox;
    this.sync = sync;
    this.text = text;
    this.config = config;
    this.busy = false;
  }

  start() {
    const form = document.querySelector(FORM);
    // A copy of this page kept on the phone holds one id: every report gets its own.
    if (form) form.elements.report_id.value = crypto.randomUUID();
    document.addEventListener("submit", (event) => this.onSubmit(event), true);
  }

  async onSubmit(event) {
    const form = event.target;
    if (!form.matches || !form.matches(FORM)) return;
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

  /* Keep the report in the outbox; say so only once the phone has stored it. */
  async keep(form) {
    const state = form.querySelector("[data-sync-state]");
    const error = form.querySelector("[data-outbox-error]");
    const data = new FormData(form);
    const payload = {
      child_id: form.dataset.childId,
      occurred_on: data.get("occurred_on"),
      place: data.get("place"),
      involved: data.getAll("involved"),
      what_happened: data.getAll("what_happened"),
      severity: data.get("severity"),
      immediate_action: (data.get("immediate_action") || "").trim(),
    };
    const complete =
      payload.occurred_on && payload.place && payload.severity &&
      payload.involved.length && payload.what_happened.length;
    if (!complete) {
      this.say(state, "incomplete", this.text.get("incident_incomplete"));
      return;
    }
    const recordId = data.get("report_id");
    try {
      await this.outbox.add(this.config.user_id, [
        {
          kind: KIND,
          record_id: recordId,
          base_version: 0,
          payload, // everything here, nothing in the summary: it names no one
          scope: `${KIND}:${recordId}`,
          summary: { text: this.text.get("incident_summary") },
        },
      ]);
    } catch (failure) {
      // Nothing was stored; what the person wrote is still in the form. A browser that cannot
      // encrypt says so in its own words; any other failure is the storage's.
      if (failure instanceof SealingUnavailable) error.textContent = failure.message;
      error.hidden = false;
      state.hidden = true;
      return;
    }
    error.hidden = true;
    form.reset();
    form.elements.report_id.value = crypto.randomUUID(); // the next report is another one
    this.say(state, "saved", `${this.text.get("saved")} ${this.text.get("incident_will_send")}`);
    this.sync.changed(true);
    this.sync.run();
  }

  say(line, state, message) {
    line.hidden = false;
    line.dataset.state = state;
    line.textContent = message;
  }
}
