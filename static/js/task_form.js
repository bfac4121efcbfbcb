/* Marking a task done or blocked, also without a connection ("task_mark" ops; see
 * offline_form.js). A To-do list holds one form per task; each op names the task (its record)
 * and the task's version the page showed, so a task someone else marked meanwhile is answered
 * as a conflict, never overwritten. */

import { OfflineForm } from "./offline_form.js";

export class TaskForm extends OfflineForm {
  selector = "form.task-form";
  kind = "task_mark";

  start() {
    // A copy of this page kept on the phone holds one mark id per task: every mark gets its own.
    for (const form of document.querySelectorAll(this.selector)) {
      form.elements.mark_id.value = crypto.randomUUID();
    }
    this.listen();
  }

  payload(form) {
    const data = new FormData(form);
    const status = String(data.get("status") ?? "");
    const note = String(data.get("note") ?? "").trim();
    if (!status || (status === "blocked" && !note)) return null;
    return { child_id: form.dataset.childId, mark_id: data.get("mark_id"), status, note };
  }

  draft(form) {
    const payload = this.payload(form);
    if (!payload) return null;
    return {
      kind: this.kind,
      record_id: form.dataset.taskId,
      base_version: Number(form.elements.version.value),
      payload,
      scope: form.dataset.scope,
      summary: null,
    };
  }

  stateLine(scope) {
    const form = [...document.querySelectorAll(this.selector)].find(
      (each) => each.dataset.scope === scope
    );
    return form ? form.querySelector("[data-sync-state]") : null;
  }

  afterSave(form) {
    // Kept once: a second tap would send the same mark again.
    form.querySelector("button[type=submit]").disabled = true;
  }

  savedMessage() {
    return this.text.get("task_will_send");
  }

  incompleteMessage() {
    return this.text.get("task_incomplete");
  }
}
