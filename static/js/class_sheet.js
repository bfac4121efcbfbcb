/* A class's sheet through the outbox: the roll call, a subject's term results. Saved on this
 * phone first, then sent.
 *
 * Without a script the form is a plain POST. With one, a submit writes one op per child whose
 * value is new or changed, and says "saved on this phone" only once IndexedDB has committed
 * them. After a sync the server's values, with their ids and versions, replace the form.
 *
 * A subclass names its `selector` and gives `scopeOf(form)` (the scope that groups the sheet's
 * entries), `ready(form)` (the form can be kept offline), `apply(form, entry)` (an entry's
 * values into the form) and `drafts(form, pending)` (the ops for what changed).
 */

import { FormScript } from "./form_script.js";
import { canLock } from "./locked.js";
import { NEEDS_ATTENTION, SENDING, WAITING } from "./outbox.js";
import { SealingUnavailable } from "./seal.js";

export class ClassSheet extends FormScript {
  saving = false;

  async start() {
    this.lockable = await canLock();
    document.addEventListener("submit", (event) => this.onSubmit(event), true);
    this.sync.addEventListener("change", (event) => this.onSyncChange(event.detail));
    return this.show();
  }

  get form() {
    return document.querySelector(this.selector);
  }

  async entriesFor(form) {
    const scope = this.scopeOf(form);
    const entries = await this.outbox.list(this.config.user_id);
    return entries.filter((e) => e.scope === scope && !e.unreadable);
  }

  /* Put what the user recorded but the server has not confirmed back into the form. */
  async show() {
    const form = this.form;
    if (!form || !this.ready(form)) return;
    const entries = await this.entriesFor(form);
    for (const entry of entries) this.apply(form, entry);
    await this.showState(form, entries);
  }

  /* Flag each child whose value is on this phone but not yet confirmed by the server. */
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
    if (!form.matches || !form.matches(this.selector) || !this.ready(form)) return;
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

  /* What is saved on this phone becomes the form's starting point: it is not sent twice. */
  markSaved(form, payload) {
    this.apply(form, { payload });
    form.querySelector(`li[data-child-id="${payload.child_id}"]`).dataset.outbox = WAITING;
  }

  /* After a sync: the sheet on screen is refreshed from the server once confirmed. */
  async onSyncChange({ confirmedScopes }) {
    const form = this.form;
    if (!form || !this.ready(form)) return;
    const entries = await this.entriesFor(form);
    const confirmed = confirmedScopes.includes(this.scopeOf(form));
    await this.showState(form, entries);
    if (confirmed && !entries.length && !edited(form)) await this.refresh(form);
  }

  /* The server's values, with their ids and versions, in place of the form on screen. */
  async refresh(form) {
    let html;
    try {
      const response = await fetch(form.dataset.refreshUrl, { credentials: "same-origin" });
      if (!response.ok || response.redirected) return;
      html = await response.text();
    } catch (error) {
      return; // offline again: the form on screen stays, and says what is saved
    }
    const fresh = new DOMParser().parseFromString(html, "text/html").querySelector(this.selector);
    // Only if nothing was changed on screen meanwhile, and it is the same sheet.
    if (!fresh || this.form !== form || edited(form)) return;
    if (this.scopeOf(fresh) !== this.scopeOf(form)) return;
    form.replaceWith(document.adoptNode(fresh));
    await this.show();
  }
}

/* Changes on screen not saved yet: a refresh would throw them away. */
export function edited(form) {
  const fields = form.querySelectorAll("li[data-child-id] :is(input:not([type=hidden]), select)");
  return [...fields].some(changedField);
}

export function changedField(field) {
  if (field.tagName === "SELECT") {
    return [...field.options].some((option) => option.selected !== option.defaultSelected);
  }
  return field.type === "radio" || field.type === "checkbox"
    ? field.checked !== field.defaultChecked
    : field.value !== field.defaultValue;
}
