/* A class's term results in one subject through the outbox: one "term_result" op per child
 * whose result is new or changed (see class_sheet.js). Typing a percentage shows the term mark
 * it gives. Offline, the phone's one copy of the teacher's sheets (results/on_phone.html)
 * stands in for the sheet of the address: it is filled in here for its class and subject. */

import { ClassSheet, changedField } from "./class_sheet.js";
import { OfflinePages } from "./pages.js";

const KIND = "term_result";
const FORM = "form#results-sheet";
const ADDRESS = /\/classes\/([0-9a-f-]{36})\/results\/([0-9a-f-]{36})\/([1-4])$/;

export class ResultsSheet extends ClassSheet {
  selector = FORM;

  async start() {
    const standIn = document.querySelector("[data-results-stand-in]");
    if (standIn) fillStandIn(standIn, this);
    document.addEventListener("input", (event) => showMark(event.target));
    return super.start();
  }

  /* Once the server has a sheet's results, the phone's copy of the sheets is fetched again, so
   * that a sheet opened offline later shows them. */
  async onSyncChange(detail) {
    await super.onSyncChange(detail);
    const form = this.form;
    const copy = form && form.dataset.keptCopy;
    if (!copy || !detail.confirmedScopes.some((scope) => scope.startsWith(`${KIND}:`))) return;
    if (!("caches" in window) || navigator.onLine === false) return;
    const cache = await caches.open(this.config.pages_cache);
    if (await cache.match(copy)) await new OfflinePages(this.config, null).saveOne(cache, copy);
  }

  scopeOf(form) {
    const { classId, subjectId, term } = form.dataset;
    return `${KIND}:${classId}:${subjectId}:${term}`;
  }

  ready(form) {
    return Boolean(form.dataset.subjectId);
  }

  apply(form, entry) {
    const { child_id: childId, percentage, mark, comment } = entry.payload;
    const item = form.querySelector(`li[data-child-id="${childId}"]`);
    if (!item) return;
    const { percentageField, markField, commentField } = fields(item);
    if (percentageField) {
      percentageField.value = percentageField.defaultValue = percentage ?? "";
    }
    if (markField) {
      for (const option of markField.options) {
        option.selected = option.defaultSelected = option.value === String(mark ?? "");
      }
    }
    commentField.value = commentField.defaultValue = comment || "";
  }

  /* One op per child whose fields differ from what the page (or this phone) last held. */
  drafts(form, pending) {
    const pendingByChild = new Map(pending.map((e) => [e.payload.child_id, e]));
    const drafts = [];
    for (const item of form.querySelectorAll("li[data-child-id]")) {
      const childId = item.dataset.childId;
      const found = fields(item);
      const changed = Object.values(found).some((field) => field && changedField(field));
      if (!changed) continue;
      const value = {
        percentage: wholeNumber(found.percentageField),
        mark: wholeNumber(found.markField),
        comment: found.commentField.value.trim() || null,
      };
      const version = Number(item.querySelector(`input[name="version-${childId}"]`).value);
      const earlier = pendingByChild.get(childId);
      const empty = value.percentage === null && value.mark === null && value.comment === null;
      if (empty && version === 0 && !earlier) continue; // nothing was ever there
      drafts.push({
        kind: KIND,
        record_id: item.dataset.resultId || (earlier && earlier.record_id) || crypto.randomUUID(),
        base_version: version,
        payload: {
          child_id: childId,
          class_id: form.dataset.classId,
          subject_id: form.dataset.subjectId,
          term: Number(form.dataset.term),
          ...value,
        },
        scope: this.scopeOf(form),
        summary: {
          child: item.querySelector("legend").textContent.trim(),
          day: form.dataset.label,
          status: describe(value),
        },
      });
    }
    return drafts;
  }
}

function fields(item) {
  const id = item.dataset.childId;
  return {
    percentageField: item.querySelector(`[name="percentage-${id}"]`),
    markField: item.querySelector(`[name="mark-${id}"]`),
    commentField: item.querySelector(`[name="comment-${id}"]`),
  };
}

function wholeNumber(field) {
  const raw = field ? field.value.trim() : "";
  return raw === "" ? null : Number(raw);
}

/* "4 (78 %)", "5", or the comment of a grade 1 child. */
function describe({ percentage, mark, comment }) {
  if (mark === null && percentage === null) return comment || "—";
  return percentage === null ? String(mark) : `${mark ?? ""} (${percentage} %)`.trim();
}

/* The mark a percentage gives, by the bands the form names (data-bands="85:5 65:4 40:3 0:2"). */
function showMark(input) {
  if (!input.matches || !input.matches(`${FORM} input[name^="percentage-"]`)) return;
  const item = input.closest("li[data-child-id]");
  const { markField } = fields(item);
  const percentage = Number(input.value);
  if (!markField || input.value.trim() === "" || !input.checkValidity()) return;
  const bands = input.form.dataset.bands.split(" ").map((band) => band.split(":").map(Number));
  const [, mark] = bands.find(([lowest]) => percentage >= lowest);
  markField.value = String(mark);
}

/* The phone's copy of the sheets, made the sheet of this address; or it says it has not got it. */
function fillStandIn(root, sheet) {
  const [, classId, subjectId, term] = ADDRESS.exec(location.pathname) || [];
  const kept = JSON.parse(document.getElementById("results-on-phone").textContent)[classId];
  const subject = kept && kept.subjects[subjectId];
  const section = root.querySelector(`[data-sheet-class="${classId}"]`);
  for (const other of root.querySelectorAll("[data-sheet-class]")) {
    if (other !== section || !subject || String(kept.term) !== term) other.remove();
  }
  if (!section || !section.isConnected) {
    root.querySelector("[data-not-kept]").hidden = false;
    return;
  }
  section.hidden = false;
  section.querySelector("[data-sheet-heading]").textContent = subject.heading;
  document.title = subject.title;
  const form = section.querySelector(FORM);
  Object.assign(form.dataset, {
    subjectId,
    label: subject.label,
    refreshUrl: location.pathname,
  });
  form.action = location.pathname;
  for (const [childId, [id, version, percentage, mark, comment]] of Object.entries(subject.results)) {
    const item = form.querySelector(`li[data-child-id="${childId}"]`);
    if (!item) continue;
    item.dataset.resultId = id;
    const versionField = item.querySelector(`input[name="version-${childId}"]`);
    versionField.value = versionField.defaultValue = String(version);
    sheet.apply(form, { payload: { child_id: childId, percentage, mark, comment } });
  }
}
