/* Qadam's page script: the outbox, its sync, what the user sees of it, and offline pages.
 * Without JavaScript every form still works as a plain POST; this adds working offline.
 *
 * A page loads only what it uses: before login, the offline pages' upkeep alone; once signed
 * in, the outbox and its sync; and each form's script only on a page with that form. (The
 * service worker keeps them all on the phone: see pwa/sw.js.) */

import { followToday } from "./day.js";
import { OfflinePages } from "./pages.js";
import { Text, readConfig } from "./text.js";

// The form scripts, built alike (form_script.js), each loaded where its form is.
const FORMS = [
  ["form#roll-call", async () => (await import("./roll_call.js")).RollCall],
  ["form#results-sheet", async () => (await import("./results_sheet.js")).ResultsSheet],
  ["form#incident-form", async () => (await import("./incident_form.js")).IncidentForm],
  ["form#visit-report", async () => (await import("./visit_report.js")).VisitReportForm],
  ["form#placement-form", async () => (await import("./placement_form.js")).PlacementForm],
  ["form.task-form", async () => (await import("./task_form.js")).TaskForm],
  ["[data-roll-call-card]", async () => (await import("./today.js")).TodayCards],
];

async function openOutbox() {
  try {
    const { Outbox } = await import("./outbox.js");
    return await Outbox.open();
  } catch (error) {
    return null; // no IndexedDB here: forms are sent to the server directly, as without JS
  }
}

async function formsOfThisPage() {
  const found = FORMS.filter(([selector]) => document.querySelector(selector));
  return Promise.all(found.map(([_selector, load]) => load()));
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
  if (!config) {
    document.documentElement.dataset.scriptsReady = "true"; // nothing here for them to do
    return;
  }
  const text = new Text(config);
  followToday(config, text);
  const pages = new OfflinePages(config, null);
  // Signed in, the outbox's modules and this page's form scripts load side by side.
  const modules = config.user_id
    ? Promise.all([import("./sync.js"), import("./status.js"), formsOfThisPage()])
    : null;
  const outbox = config.user_id ? await openOutbox() : null;
  if (outbox) {
    const [{ Sync }, { SyncStatus }, scripts] = await modules;
    const sync = new Sync(outbox, config);
    const status = new SyncStatus(outbox, sync, text, config);
    pages.status = status;
    guardLogout(status, pages);
    const forms = scripts.map((Form) => new Form(outbox, sync, text, config));
    await Promise.all([...forms.map((form) => form.start()), status.start()]);
    sync.start();
  } else if (config.user_id) {
    guardLogout(null, pages);
  }
  document.documentElement.dataset.scriptsReady = "true"; // the forms are in the scripts' hands
  await pages.start();
}

main();
