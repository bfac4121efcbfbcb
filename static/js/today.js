/* Today's class cards know what the server knows; a roll call saved on this phone and not yet
 * sent is shown here too, so the class does not read "Not taken yet" while its marks wait. */

import { NEEDS_ATTENTION } from "./outbox.js";
import { rollCallScope } from "./roll_call.js";

const CARD = "[data-roll-call-card]";

export class TodayCards {
  constructor(outbox, sync, text, config) {
    this.outbox = outbox;
    this.sync = sync;
    this.text = text;
    this.config = config;
  }

  start() {
    if (!document.querySelector(CARD)) return null;
    this.sync.addEventListener("change", () => this.render());
    return this.render();
  }

  async render() {
    const byScope = new Map();
    for (const entry of await this.outbox.list(this.config.user_id)) {
      if (entry.scope) byScope.set(entry.scope, [...(byScope.get(entry.scope) || []), entry]);
    }
    for (const card of document.querySelectorAll(CARD)) {
      const entries = byScope.get(rollCallScope(card.dataset.classId, card.dataset.day)) || [];
      this.show(card, entries);
    }
  }

  show(card, entries) {
    const line = card.querySelector("[data-outbox-state]");
    if (!entries.length) {
      // Sent since it was shown here: what the server showed on loading is out of date.
      if (line.dataset.state) this.say(line, "synced", this.text.get("synced_at", {
        time: this.text.time(new Date()),
      }));
      return;
    }
    const attention = entries.some((e) => e.status === NEEDS_ATTENTION);
    const state = attention ? "needs_attention" : "waiting";
    this.say(line, state, this.text.get(attention ? "needs_attention" : "roll_call_waiting"));
    // "Not taken yet" is not true of a roll call waiting on this phone.
    const serverState = card.querySelector("[data-day-state].state-open");
    if (serverState) serverState.hidden = true;
  }

  say(line, state, message) {
    line.hidden = false;
    line.dataset.state = state;
    line.textContent = message;
  }
}
