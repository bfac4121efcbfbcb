/* The incident report, working without a connection ("incident" ops; see offline_form.js). */

import { OfflineForm } from "./offline_form.js";
import { fillInto } from "./text.js";

export class IncidentForm extends OfflineForm {
  selector = "form#incident-form";
  kind = "incident";

  start() {
    const form = document.querySelector(this.selector);
    // A copy of this page kept on the phone holds one id: every report gets its own.
    if (form) form.elements.report_id.value = crypto.randomUUID();
    if (form && !form.dataset.childId) this.forTheChildOfThisAddress(form);
    this.listen();
  }

  /* The phone's one copy of the form, shown for a child's address (/children/<id>/…, the
   * pattern the server gives the service worker): the report is that child's, named from the
   * children listed in the page. */
  forTheChildOfThisAddress(form) {
    const names = JSON.parse(document.getElementById("incident-children").textContent);
    const path = location.pathname;
    const childId = new RegExp(form.dataset.address).test(path)
      ? path.split("/").find((part) => Object.hasOwn(names, part))
      : undefined;
    if (!childId) {
      form.hidden = true;
      document.querySelector("[data-no-child]").hidden = false;
      return;
    }
    form.dataset.childId = childId;
    form.action = location.pathname;
    const named = document.querySelector("[data-child-name]");
    fillInto(named, named.dataset.childName, { name: names[childId] });
    named.hidden = false;
  }

  payload(form) {
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
    return complete ? payload : null;
  }

  recordId(form) {
    return form.elements.report_id.value;
  }

  afterSave(form) {
    form.reset();
    form.elements.report_id.value = crypto.randomUUID(); // the next report is another one
  }

  savedMessage() {
    return this.text.get("incident_will_send");
  }

  incompleteMessage() {
    return this.text.get("incident_incomplete");
  }
}
