/* Qadam's page script: the outbox, its sync, what the user sees of it, and offline pages.
 * Without JavaScript every form still works as a plain POST; this adds working offline. */

import { followToday } from "./day.js";
import { IncidentForm } from "./incident_form.js";
import { Outbox } from "./outbox.js";
import { OfflinePages } from "./pages.js";
import { PlacementForm } from "./placement_form.js";
import { RollCall } from "./roll_call.js";
import { SyncStatus } from "./status.js";
import { Sync } from "./sync.js";
import { Text, readConfig } from "./text.js";
import { TodayCards } from "./today.js";
import { VisitReportForm } from "./visit_report.js";

// The form scripts, built alike (form_script.js); each acts on its own form only.
const FORMS = [RollCall, IncidentForm, VisitReportForm, PlacementForm];

async function openOutbox() {
  try {
    return await Outbox.open();
  } catch (error) {
    return null; // no IndexedDB here: forms are sent to the server directly, as without JS
  }
}

/* Logout is refused while this user has entries the server has not confirmed. */
function guardLogout(status, pages) {
  document.addEventListener(
    "submit",
    async (event) => {
      const form = event.target;
      if (form.id !== "logout-form") return;
      event.preventDefault();
      event.stopPropagation();
      if (status && (await status.refuseLogout())) return;
      await pages.forget();
      form.submit(); // does not fire "submit" again
    },
    true
  );
}

async function main() {
  const config = readConfig();
  if (!config) return;
  const text = new Text(config);
  followToday(config, text);
  const pages = new OfflinePages(config, null);
  const outbox = config.user_id ? await openOutbox() : null;
  if (outbox) {
    const sync = new Sync(outbox, config);
    const status = new SyncStatus(outbox, sync, text, config);
    pages.status = status;
    guardLogout(status, pages);
    const forms = FORMS.map((Form) => new Form(outbox, sync, text, config));
    const today = new TodayCards(outbox, sync, text, config);
    await Promise.all([...forms.map((form) => form.start()), status.start(), today.start()]);
    sync.start();
  } else if (config.user_id) {
    guardLogout(null, pages);
  }
  await pages.start();
}

main();
