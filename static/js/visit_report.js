/* A visit report, working without a connection ("visit_report" ops; see offline_form.js).
 *
 * The op carries, for each field the person changed since the form was loaded, the value it
 * had then (`base`) and the new one: the server merges it field by field, so a change made on
 * the server to another field meanwhile is kept, with no conflict. A second save of the same
 * form carries every field changed since the form was loaded. A new report's base is blank.
 */

import { OfflineForm } from "./offline_form.js";

export class VisitReportForm extends OfflineForm {
  selector = "form#visit-report";
  kind = "visit_report";

  start() {
    const form = document.querySelector(this.selector);
    if (form) {
      const isNew = form.dataset.new === "true";
      // A new report's id is made on this phone: a page kept for offline use is reused.
      if (isNew) form.elements.report_id.value = crypto.randomUUID();
      this.base = isNew ? this.blank(this.values(form)) : this.values(form);
      this.sent = new Set(); // fields an earlier save of this form carried
    }
    this.listen();
  }

  /* The form's values as the server compares them (see app/casework/visits.py). */
  values(form) {
    const data = new FormData(form);
    const values = {};
    for (const name of form.dataset.fields.split(" ")) {
      if (name === "actions") continue;
      values[name] = String(data.get(name) ?? "").replace(/\r\n/g, "\n").trim();
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

  /* Only what changed against the base; null when nothing did. */
  draft(form) {
    const fields = {};
    for (const [name, value] of Object.entries(this.values(form))) {
      const base = this.base[name];
      if (this.sent.has(name) || JSON.stringify(value) !== JSON.stringify(base)) {
        fields[name] = { base, value };
      }
    }
    if (!Object.keys(fields).length) return null;
    const recordId = form.elements.report_id.value;
    return {
      kind: this.kind,
      record_id: recordId,
      base_version: Number(form.elements.version.value),
      payload: { child_id: form.dataset.childId, fields }, // sealed for the server
      scope: `${this.kind}:${recordId}`,
      summary: null,
    };
  }

  afterSave(form, draft) {
    for (const name of Object.keys(draft.payload.fields)) this.sent.add(name);
  }

  savedMessage() {
    return "";
  }

  incompleteMessage() {
    return this.text.get("no_changes");
  }
}
