/* What the user sees of the outbox: the header badge, the sync panel, and the alerts. */

import { decisionLink, dropDecision, listDecisions } from "./decisions.js";
import { NEEDS_ATTENTION, SENDING, WAITING } from "./outbox.js";
import { fillInto } from "./text.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const CLOCK_AHEAD = "clock_ahead"; // the server's code for a mark refused for a clock ahead

/* What a person recorded, counted as they think of it: the entries of one screen (a roll
 * call's marks share a scope) count once, an entry without a scope counts by itself. */
export function countRecorded(entries) {
  const scopes = new Set(entries.filter((e) => e.scope).map((e) => e.scope));
  return scopes.size + entries.filter((e) => !e.scope).length;
}

export class SyncStatus {
  constructor(outbox, sync, text, config) {
    this.outbox = outbox;
    this.sync = sync;
    this.text = text;
    this.config = config;
    placeChrome(config.chrome);
    this.badge = document.getElementById("sync-badge");
    this.panel = document.getElementById("sync-panel");
    this.alerts = document.getElementById("sync-alerts");
  }

  start() {
    if (!this.badge || !this.panel) return;
    this.badge.hidden = false;
    this.badge.addEventListener("click", () => this.toggle());
    this.find(this.panel, "now").addEventListener("click", () => {
      this.find(this.alerts, "logout-refused").hidden = true;
      this.sync.run();
    });
    this.find(this.panel, "attention-list").addEventListener("click", (event) =>
      this.onAttentionClick(event)
    );
    this.find(this.panel, "decisions-list").addEventListener("click", (event) =>
      this.onDecisionClick(event)
    );
    this.sync.addEventListener("change", () => this.render());
    return this.render();
  }

  find(root, name) {
    return root.querySelector(`[data-sync-${name}]`);
  }

  toggle(open = this.panel.hidden) {
    this.panel.hidden = !open;
    this.badge.setAttribute("aria-expanded", String(open));
  }

  async render() {
    const entries = await this.outbox.list(this.config.user_id);
    const waiting = entries.filter((e) => e.status === WAITING || e.status === SENDING);
    const attention = entries.filter((e) => e.status === NEEDS_ATTENTION);
    const lastSync = await this.outbox.getMeta(`last_sync:${this.config.user_id}`);
    const last = lastSync ? this.text.time(new Date(lastSync)) : null;
    const [waitingCount, attentionCount] = [countRecorded(waiting), countRecorded(attention)];

    this.find(this.badge, "count").textContent = this.text.number(waitingCount);
    this.badge.dataset.waiting = String(waitingCount);
    this.badge.dataset.attention = String(attentionCount);
    this.badge.classList.toggle("has-waiting", waitingCount > 0);
    this.badge.classList.toggle("has-attention", attentionCount > 0);
    this.find(this.badge, "flag").hidden = attentionCount === 0;
    this.find(this.badge, "time").textContent = last || "–";

    this.find(this.panel, "waiting").textContent = this.text.number(waitingCount);
    // Another person's entries: that they wait, never what they hold.
    const others = await this.outbox.othersWaiting(this.config.user_id);
    this.find(this.panel, "others").hidden = others === 0;
    this.find(this.panel, "last").textContent = last
      ? this.text.get("last_sync", { time: last })
      : this.text.get("never_synced");
    this.find(this.panel, "offline").hidden = this.sync.online !== false;
    this.badge.classList.toggle("is-offline", this.sync.online === false);
    this.renderAttention(attention);
    this.renderSealed(waiting.filter((e) => e.sealed));
    await this.renderDecisions();

    this.find(this.alerts, "login").hidden = !this.sync.loginNeeded;
    const oldest = Math.min(...entries.map((e) => Date.parse(e.created_at)));
    this.find(this.alerts, "old").hidden = !(
      Date.now() - oldest >
      this.config.old_entry_days * DAY_MS
    );
    if (!entries.length) this.find(this.alerts, "logout-refused").hidden = true;
  }

  renderAttention(attention) {
    const box = this.find(this.panel, "attention");
    const list = this.find(this.panel, "attention-list");
    box.hidden = attention.length === 0;
    list.replaceChildren(...attention.map((entry) => this.attentionItem(entry)));
  }

  /* Sealed entries are listed by kind and time: their content cannot be read here. */
  renderSealed(sealed) {
    const list = this.find(this.panel, "sealed-list");
    list.hidden = sealed.length === 0;
    list.replaceChildren(
      ...sealed.map((entry) => {
        const item = document.createElement("li");
        item.textContent = this.sealedLabel(entry);
        return item;
      })
    );
  }

  sealedLabel(entry) {
    const kind = this.text.strings.kinds[entry.kind] || entry.kind;
    const time = this.text.time(new Date(entry.created_at));
    return this.text.get("sealed_entry", { kind, time });
  }

  attentionItem(entry) {
    const item = document.createElement("li");
    item.dataset.opId = entry.op_id;
    const what = document.createElement("p");
    if (entry.sealed) what.textContent = this.sealedLabel(entry);
    else if (entry.summary && entry.summary.text) what.textContent = entry.summary.text;
    else if (entry.summary) fillInto(what, this.text.strings.entry_summary, entry.summary);
    else what.textContent = entry.kind;
    const why = document.createElement("p");
    why.className = "attention-reason";
    why.textContent = entry.last_error || "";
    const actions = document.createElement("div");
    actions.className = "attention-actions";
    for (const action of ["retry", "discard"]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.dataset.action = action;
      button.textContent = this.text.get(action);
      actions.append(button);
    }
    item.append(what, why, actions);
    return item;
  }

  async onAttentionClick(event) {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const opId = button.closest("li").dataset.opId;
    if (button.dataset.action === "retry") {
      await this.outbox.update(await this.retries(opId));
      this.sync.changed(true);
      this.sync.run();
    } else if (window.confirm(this.text.get("discard_confirm"))) {
      await this.outbox.update({ [opId]: () => null });
      this.sync.changed(true);
    }
  }

  /* Conflicts waiting for the person's decision: listed until they open or dismiss one. They
   * are not entries: not counted as waiting, no reason to refuse a logout. */
  async renderDecisions() {
    const userId = this.config.user_id;
    let decisions = await listDecisions(this.outbox, userId);
    const here = decisions.find((d) => d.link === location.pathname);
    if (here) {
      await dropDecision(this.outbox, userId, here.link); // the person is on its page
      decisions = decisions.filter((d) => d !== here);
    }
    this.find(this.panel, "decisions").hidden = decisions.length === 0;
    if (decisions.length) this.find(this.badge, "flag").hidden = false;
    this.find(this.panel, "decisions-list").replaceChildren(
      ...decisions.map((decision) => this.decisionItem(decision))
    );
  }

  decisionItem(decision) {
    const item = document.createElement("li");
    item.dataset.link = decision.link;
    const what = document.createElement("p");
    const kind = this.text.strings.kinds[decision.kind] || decision.kind;
    const time = this.text.time(new Date(decision.at));
    what.textContent = this.text.get("sealed_entry", { kind, time });
    const actions = document.createElement("div");
    actions.className = "attention-actions";
    const userId = this.config.user_id;
    const dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "secondary";
    dismiss.dataset.action = "dismiss";
    dismiss.textContent = this.text.get("dismiss");
    actions.append(decisionLink(this.outbox, userId, decision, this.text.get("decide")), dismiss);
    item.append(what, actions);
    return item;
  }

  async onDecisionClick(event) {
    const button = event.target.closest("button[data-action=dismiss]");
    if (!button) return;
    await dropDecision(this.outbox, this.config.user_id, button.closest("li").dataset.link);
    this.sync.changed(true);
  }

  /* The entry to send again; refused for the phone's clock, with every entry of the same
   * screen refused for it (a roll call's marks), each re-stamped with a corrected time. */
  async retries(opId) {
    const entries = await this.outbox.list(this.config.user_id);
    const chosen = entries.find((e) => e.op_id === opId);
    const clock = chosen && chosen.rejection_code === CLOCK_AHEAD;
    const same = (e) =>
      e.status === NEEDS_ATTENTION && e.rejection_code === CLOCK_AHEAD && e.scope === chosen.scope;
    const ids = clock && chosen.scope ? entries.filter(same).map((e) => e.op_id) : [opId];
    const changes = {};
    for (const id of ids) {
      changes[id] = (entry) => {
        entry.status = WAITING;
        if (clock) entry.restamp = true; // see Sync.restamp()
      };
    }
    return changes;
  }

  /* Logout is refused while this user has anything not yet on the server. */
  async refuseLogout() {
    const entries = await this.outbox.list(this.config.user_id);
    if (!entries.length) return false;
    this.find(this.alerts, "logout-refused").hidden = false;
    this.toggle(true);
    return true;
  }

  /* Whether the browser keeps this phone's data: in the panel, and just after login also
   * under the header, where it is seen once. */
  showStorage(persisted, justLoggedIn = false) {
    const message = this.text.get(persisted ? "storage_persisted" : "storage_not_persisted");
    const line = this.find(this.panel, "storage");
    line.textContent = message;
    line.hidden = false;
    line.dataset.persisted = String(persisted);
    if (!justLoggedIn) return;
    const note = this.find(this.alerts, "storage-note"); // over the page's foot until closed
    this.find(note, "storage-text").textContent = message;
    const close = this.find(note, "storage-dismiss");
    close.textContent = this.text.get("dismiss");
    close.addEventListener("click", () => (note.hidden = true), { once: true });
    note.dataset.persisted = String(persisted);
    note.hidden = false;
  }

  showOfflineReady() {
    const line = this.find(this.panel, "offline-ready");
    line.textContent = this.text.get("offline_ready");
    line.hidden = false;
  }
}

/* The badge, panel and messages, sent once in the language's shared script, into the places
 * the page leaves for them; the login link comes back to this page. */
function placeChrome(chrome) {
  for (const slot of document.querySelectorAll("[data-sync-slot]")) {
    const markup = chrome && chrome[slot.dataset.syncSlot];
    if (!markup) continue;
    const template = document.createElement("template");
    template.innerHTML = markup;
    slot.replaceWith(template.content);
  }
  const link = document.querySelector("[data-sync-login-link]");
  if (link) {
    const next = new URLSearchParams({ next: location.pathname + location.search });
    link.href = `${link.getAttribute("href")}?${next}`;
  }
}
