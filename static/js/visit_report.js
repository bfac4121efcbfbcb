/* A visit report through the outbox when the server cannot be reached.
 *
 * Without this script the form is a plain POST. With it, a submit is sent with fetch; when
 * the phone is offline or the send fails, the report is stored as one "visit_report" op
 * (its id made here, so a report sent twice is one report) and the page says "saved on this
 * phone". The sync sends it later. Every value goes into `payload`; `summary` names no child.
 */

const KIND = "visit_report";
const FORM = "form#visit-report";
const DATES = new Set(["visited_on", "next_visit_on"]);

export class VisitReport {
  constructor(outbox, sync, text, config) {
    this.outbox = outbox;
    this.sync = sync;
    this.text = text;
    this.config = config;
    this.saving = false;
  }

  start() {
    const form = document.querySelector(FORM);
    if (!form) return;
    // A new report's id is made on this phone: a page kept for offline use is reused.
    if (form.dataset.new === "true") form.elements.report_id.value = crypto.randomUUID();
    this.base = this.values(form);
    if (form.dataset.new === "true") this.base = this.blank(this.base);
    form.addEventListener("submit", (event) => this.onSubmit(event));
  }

  /* The form's values as the server compares them (see app/casework/visits.py). */
  values(form) {
    const data = new FormData(form);
    const values = {};
    for (const name of form.dataset.fields.split(" ")) {
      if (name === "actions") continue;
      values[name] = String(data.get(name) ?? "").trim();
    }
    values.actions = [];
    for (const row of form.querySelectorAll("[data-action-row]")) {
      const part = (suffix) => row.querySelector(`[name$="-${suffix}"]`).value.trim();
      if (part("what")) values.actions.push({ what: part("what"), who: part("who"), by_when: part("by_when") });
    }
    return values;
  }

  blank(values) {
    const blank = {};
    for (const name of Object.keys(values)) blank[name] = name === "actions" ? [] : "";
    return blank;
  }

  draft(form) {
    const values = this.values(form);
    const fields = {};
    for (const [name, value] of Object.entries(values)) {
      fields[name] = { base: this.base[name], value };
    }
    const kind = form.querySelector('input[name="kind"]:checked');
    return {
      kind: KIND,
      record_id: form.elements.report_id.value,
      base_version: Number(form.elements.version.value),
      payload: { child_id: form.dataset.childId, fields },
      scope: `${KIND}:${form.elements.report_id.value}`,
      summary: {
        child: this.text.get("visit_report"),
        day: values.visited_on ? this.text.day(values.visited_on, "medium") : "",
        status: kind ? kind.closest("label").textContent.trim() : "",
      },
    };
  }

  async onSubmit(event) {
    const form = event.target;
    event.preventDefault();
    if (this.saving) return;
    this.saving = true;
    try {
      if (navigator.onLine) {
        const response = await this.send(form);
        if (response && response.ok) {
          window.location.assign(response.url);
          return;
        }
        if (response) {
          form.submit(); // the server refused it: it shows why (nothing was written)
          return;
        }
      }
      await this.keep(form);
    } finally {
      this.saving = false;
    }
  }

  /* The response, or null when the server could not be reached. */
  async send(form) {
    try {
      return await fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" });
    } catch (failure) {
      return null;
    }
  }

  async keep(form) {
    const line = form.querySelector("[data-sync-state]");
    const error = form.querySelector("[data-outbox-error]");
    try {
      await this.outbox.add(this.config.user_id, [this.draft(form)]);
    } catch (failure) {
      error.hidden = false; // nothing was stored; the form stays filled
      line.hidden = true;
      return;
    }
    error.hidden = true;
    line.hidden = false;
    line.dataset.state = "saved";
    line.textContent = this.text.get("saved");
    this.sync.changed(true);
    this.sync.run();
  }
}
