/* The roll call through the outbox: saved on this phone first, then sent.
 *
 * Without this script the form is a plain POST, as before. With it, a
 * submit writes one "attendance_mark" op per child whose mark is new or changed, and says
 * "saved on this phone" only once IndexedDB has committed them.
 */

import { FormScript } from "./form_script.js";
import { canLock } from "./locked.js";
import { NEEDS_ATTENTION, SENDING, WAITING } from "./outbox.js";
import { SealingUnavailable } from "./seal.js";

const KIND = "attendance_mark";
const FORM = "form#roll-call";

/* The scope that groups the marks of one class's roll call on one day. */
export function rollCallScope(classId, day) {
  return `${KIND}:${classId}:${day}`;
}

export class RollCall extends FormScript {
  saving = false;

  async start() {
    this.lockable = await canLock();
    document.addEventListener("submit", (event) => this.onSubmit(event), true);
    this.sync.addEventListener("change", (event) => this.onSyncChange(event.detail));
    return this.show();
  }

  get form() {
    return document.querySelector(FORM);
  }

  scopeOf(form) {
    return rollCallScope(form.dataset.classId, form.dataset.day);
  }

  async entriesFor(form) {
    const scope = this.scopeOf(form);
    const entries = await this.outbox.list(this.config.user_id);
    return entries.filter((e) => e.scope === scope && !e.unreadable);
  }

  /* Put what the user recorded but the server has not confirmed back into the form. */
  async show() {
    const form = this.form;
    if (!form || !form.dataset.classId) return;
    const entries = await this.entriesFor(form);
    for (const entry of entries) this.apply(form, entry);
    await this.showState(form, entries);
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

  /* Flag each child whose mark is on this phone but not yet confirmed by the server. */
  flagChildren(form, entries) {
    const statusByChild = new Map(entries.map((e) => [e.payload.child_id, e.status]));
    for (const item of form.querySelectorAll("li[data-child-id]")) {
      const status = statusByChild.get(item.dataset.childId);
      if (status) item.dataset.outbox = status;
      else delete item.dataset.outbox;
    }
  }

  async showState(form, entries) {
    this.flagChildren(form, entries);
    const line = form.querySelector("[data-sync-state]");
    if (!line) return;
    let state = null;
    let message = null;
    if (entries.some((e) => e.status === NEEDS_ATTENTION)) {
      [state, message] = ["needs_attention", this.text.get("needs_attention")];
    } else if (entries.some((e) => e.status === SENDING)) {
      [state, message] = ["sending", this.text.get("sending")];
    } else if (entries.some((e) => e.status === WAITING)) {
      [state, message] = ["saved", this.text.get("saved")];
    } else {
      const synced = await this.outbox.getMeta(`synced:${this.config.user_id}:${this.scopeOf(form)}`);
      if (synced) {
        const time = this.text.time(new Date(synced));
        [state, message] = ["synced", this.text.get("synced_at", { time })];
      }
    }
    line.hidden = state === null;
    line.textContent = message || "";
    line.dataset.state = state || "";
  }

  async onSubmit(event) {
    const form = event.target;
    if (!form.matches || !form.matches(FORM) || !form.dataset.classId) return;
    // A browser that cannot encrypt keeps nothing on the phone: online, the form goes to the
    // server as it would without this script; offline, saving says why it cannot be kept.
    const online = this.sync.online !== false && navigator.onLine !== false;
    if (!this.lockable && online) return;
    event.preventDefault();
    event.stopPropagation();
    if (this.saving) return;
    this.saving = true;
    const error = form.querySelector("[data-outbox-error]");
    try {
      const drafts = this.drafts(form, await this.entriesFor(form));
      if (drafts.length) await this.outbox.add(this.config.user_id, drafts);
      error.hidden = true;
      for (const draft of drafts) this.markSaved(form, draft.payload);
      const line = form.querySelector("[data-sync-state]");
      line.hidden = false;
      line.dataset.state = drafts.length ? "saved" : "unchanged";
      line.textContent = this.text.get(drafts.length ? "saved" : "no_changes");
    } catch (failure) {
      // QuotaExceededError, a browser that cannot encrypt, or any other failure: nothing was
      // stored, the form stays filled.
      if (failure instanceof SealingUnavailable) error.textContent = failure.message;
      error.hidden = false;
      form.querySelector("[data-sync-state]").hidden = true;
      return;
    } finally {
      this.saving = false;
    }
    this.sync.changed(true);
    this.sync.run();
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

  /* What is saved on this phone becomes the form's starting point: it is not sent twice. */
  markSaved(form, payload) {
    this.apply(form, { payload });
    form.querySelector(`li[data-child-id="${payload.child_id}"]`).dataset.outbox = WAITING;
  }

  /* After a sync: the roll call on screen is refreshed from the server once confirmed. */
  async onSyncChange({ confirmedScopes }) {
    const form = this.form;
    if (!form || !form.dataset.classId) return;
    const entries = await this.entriesFor(form);
    const confirmed = confirmedScopes.includes(this.scopeOf(form));
    await this.showState(form, entries);
    if (confirmed && !entries.length && !this.edited(form)) await this.refresh(form);
  }

  /* The server's marks, with their ids and versions, in place of the form on screen. */
  async refresh(form) {
    let html;
    try {
      const response = await fetch(form.dataset.refreshUrl, { credentials: "same-origin" });
      if (!response.ok || response.redirected) return;
      html = await response.text();
    } catch (error) {
      return; // offline again: the form on screen stays, and says what is saved
    }
    const fresh = new DOMParser().parseFromString(html, "text/html").querySelector(FORM);
    // Only if nothing was changed on screen meanwhile, and it is the same roll call.
    if (!fresh || this.form !== form || this.edited(form)) return;
    if (this.scopeOf(fresh) !== this.scopeOf(form)) return;
    form.replaceWith(document.adoptNode(fresh));
    await this.show();
  }

  /* Changes on screen not saved yet: a refresh would throw them away. */
  edited(form) {
    const fields = form.querySelectorAll("li[data-child-id] input:not([type=hidden])");
    return [...fields].some((field) =>
      field.type === "radio" ? field.checked !== field.defaultChecked : field.value !== field.defaultValue
    );
  }
}
