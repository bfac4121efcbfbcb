/* A new placement, recorded at a home with no signal ("placement" ops, sealed: caregivers'
 * names and phones never stay readable on the phone; see offline_form.js). */

import { localToday } from "./day.js";
import { OfflineForm } from "./offline_form.js";

const FIELDS = ["kind", "starts_on", "district", "monthly_months", "then_every_months"];
const CAREGIVER = /^caregivers-(\d+)-(name|relationship|phone)$/;

export class PlacementForm extends OfflineForm {
  selector = "form#placement-form";
  kind = "placement";

  start() {
    const form = document.querySelector(this.selector);
    if (form && form.dataset.blank === "true") {
      // A copy of this page kept on the phone holds one id and the day it was saved.
      form.elements.placement_id.value = crypto.randomUUID();
      const today = localToday(this.config.time_zone);
      if (form.elements.starts_on.value < today) form.elements.starts_on.value = today;
    }
    this.listen();
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
    return payload.kind && payload.starts_on ? payload : null;
  }

  recordId(form) {
    return form.elements.placement_id.value;
  }

  afterSave(form) {
    // Saved once: a second tap would send the same placement again.
    form.querySelector("button[type=submit]").disabled = true;
  }

  savedMessage() {
    return this.text.get("placement_will_send");
  }

  incompleteMessage() {
    return this.text.get("placement_incomplete");
  }
}
