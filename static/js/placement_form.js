/* A new placement, recorded at a home with no signal.
 *
 * Without this script the form is a plain POST. With it, the form is sent as before when the
 * server can be reached; offline, or when sending fails, the placement is kept in the outbox
 * (a sealed "placement" op: caregivers' names and phones never stay readable on the phone)
 * and the sync sends it later. The placement's id is made here, so a placement that reached
 * the server although the answer was lost is not recorded twice.
 */

import { localToday } from "./day.js";
import { SealingUnavailable } from "./seal.js";

const KIND = "placement";
const FORM = "form#placement-form";
const TIMEOUT_MS = 15000;
// Answers a person has to read (the form with its errors, a refusal): shown, not kept.
const SHOWN = new Set([400, 404, 409, 422]);
const FIELDS = ["kind", "starts_on", "district", "monthly_months", "then_every_months"];
const CAREGIVER = /^caregivers-(\d+)-(name|relationship|phone)$/;

export class PlacementForm {
  constructor(outbox, sync, text, config) {
    this.outbox = outbox;
    this.sync = sync;
    this.text = text;
    this.config = config;
    this.busy = false;
  }

  start() {
    const form = document.querySelector(FORM);
    if (form && form.dataset.blank === "true") {
      // A copy of this page kept on the phone holds one id and the day it was saved.
      form.elements.placement_id.value = crypto.randomUUID();
      const today = localToday(this.config.time_zone);
      if (form.elements.starts_on.value < today) form.elements.starts_on.value = today;
    }
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
    if (response.ok && response.redirected) {
      window.location.assign(response.url); // the child's page, with the new placement
      return true;
    }
    if (SHOWN.has(response.status)) {
      await this.show(response);
      return true;
    }
    return false; // a server error or an expired form: the outbox sends it later
  }

  /* Show the server's answer (the form with its errors) in place of this page. */
  async show(response) {
    const html = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = html.querySelector("main");
    const current = document.querySelector("main");
    if (fresh && current) current.replaceWith(document.adoptNode(fresh));
    document.title = html.title;
  }

  payload(form) {
    const data = new FormData(form);
    const payload = { child_id: form.dataset.childId, caregivers: [] };
    for (const name of FIELDS) payload[name] = String(data.get(name) ?? "").trim();
    for (const [name, value] of data.entries()) {
      const match = CAREGIVER.exec(name);
      if (!match) continue;
      const row = (payload.caregivers[Number(match[1])] ??= {});
      row[match[2]] = String(value).trim();
    }
    payload.caregivers = payload.caregivers.filter((row) => row && row.name);
    return payload;
  }

  /* Keep the placement in the outbox; say so only once the phone has stored it. */
  async keep(form) {
    const state = form.querySelector("[data-sync-state]");
    const error = form.querySelector("[data-outbox-error]");
    const payload = this.payload(form);
    if (!payload.kind || !payload.starts_on) {
      this.say(state, "incomplete", this.text.get("placement_incomplete"));
      return;
    }
    const recordId = form.elements.placement_id.value;
    try {
      await this.outbox.add(this.config.user_id, [
        {
          kind: KIND,
          record_id: recordId,
          base_version: 0,
          payload, // sealed: nothing of it is readable on the phone
          scope: `${KIND}:${recordId}`,
          summary: null,
        },
      ]);
    } catch (failure) {
      // Nothing was stored; the form stays filled.
      if (failure instanceof SealingUnavailable) error.textContent = failure.message;
      error.hidden = false;
      state.hidden = true;
      return;
    }
    error.hidden = true;
    // Saved once: a second tap would send the same placement again.
    form.querySelector("button[type=submit]").disabled = true;
    this.say(state, "saved", `${this.text.get("saved")} ${this.text.get("placement_will_send")}`);
    this.sync.changed(true);
    this.sync.run();
  }

  say(line, state, message) {
    line.hidden = false;
    line.dataset.state = state;
    line.textContent = message;
  }
}
