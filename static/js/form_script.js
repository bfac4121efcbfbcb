/* What every form script of a page shares: the outbox its entries wait in, the sync that
 * sends them, the page's strings and its config. app.js builds each one alike, with
 * `new Form(outbox, sync, text, config)`, then calls `start()` (which may return a promise).
 * The roll call (roll_call.js) and the offline forms (offline_form.js) extend it. */

export class FormScript {
  constructor(outbox, sync, text, config) {
    this.outbox = outbox;
    this.sync = sync;
    this.text = text;
    this.config = config;
  }
}
