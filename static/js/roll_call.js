/* The roll call through the outbox: one "attendance_mark" op per child whose mark is new or
 * changed (see class_sheet.js). */

import { ClassSheet } from "./class_sheet.js";

const KIND = "attendance_mark";
const FORM = "form#roll-call";

/* The scope that groups the marks of one class's roll call on one day. */
export function rollCallScope(classId, day) {
  return `${KIND}:${classId}:${day}`;
}

export class RollCall extends ClassSheet {
  selector = FORM;

  scopeOf(form) {
    return rollCallScope(form.dataset.classId, form.dataset.day);
  }

  ready(form) {
    return Boolean(form.dataset.classId);
  }

  apply(form, entry) {
    const { child_id: childId, status, reason } = entry.payload;
    const item = form.querySelector(`li[data-child-id="${childId}"]`);
    if (!item) return;
    for (const radio of item.querySelectorAll(`input[name="status-${childId}"]`)) {
      radio.checked = radio.defaultChecked = radio.value === status;
    }
    const reasonInput = item.querySelector(`input[name="reason-${childId}"]`);
    if (reasonInput) reasonInput.value = reasonInput.defaultValue = reason || "";
  }

  /* One op per child whose mark is new (no version yet) or changed since the page loaded. */
  drafts(form, pending) {
    const pendingByChild = new Map(pending.map((e) => [e.payload.child_id, e]));
    const drafts = [];
    for (const item of form.querySelectorAll("li[data-child-id]")) {
      const childId = item.dataset.childId;
      const radios = [...item.querySelectorAll(`input[name="status-${childId}"]`)];
      const chosen = radios.find((r) => r.checked);
      if (!chosen) continue;
      const before = radios.find((r) => r.defaultChecked);
      const reasonInput = item.querySelector(`input[name="reason-${childId}"]`);
      const reason = chosen.value === "present" ? null : reasonInput.value.trim() || null;
      const reasonBefore = reasonInput.defaultValue.trim() || null;
      const version = Number(item.querySelector(`input[name="version-${childId}"]`).value);
      const earlier = pendingByChild.get(childId);
      const changed =
        !before ||
        chosen.value !== before.value ||
        (chosen.value !== "present" && reason !== reasonBefore);
      if (!changed && (version > 0 || earlier)) continue;
      drafts.push({
        kind: KIND,
        record_id: item.dataset.markId || (earlier && earlier.record_id) || crypto.randomUUID(),
        base_version: version,
        payload: {
          child_id: childId,
          class_id: form.dataset.classId,
          day: form.dataset.day,
          status: chosen.value,
          reason,
        },
        scope: this.scopeOf(form),
        summary: {
          child: item.querySelector("legend").textContent.trim(),
          day: form.dataset.dayLabel,
          status: chosen.closest("label").textContent.trim(),
        },
      });
    }
    return drafts;
  }
}
