/* Pages kept on the phone were saved on an earlier day. Opened offline on a later school day,
 * "today's roll call" must be today's, not the day it was saved: it moves to today, blank, as
 * the server would show it. Pages that describe another day hide what no longer holds. */

/* Today's date (YYYY-MM-DD) in the district's time zone. */
export function localToday(timeZone) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(new Date());
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part("year")}-${part("month")}-${part("day")}`;
}

export function followToday(config, text) {
  const today = localToday(config.time_zone);
  for (const element of document.querySelectorAll("[data-follows-today]")) {
    if (element.matches("form#roll-call")) moveRollCall(element, today, text);
    else if (element.dataset.followsToday < today) moveHeading(element, today, text);
  }
}

function moveHeading(element, today, text) {
  element.textContent = text.day(today, "full");
  element.dataset.followsToday = today;
  for (const stale of document.querySelectorAll("[data-day-state]")) stale.hidden = true;
  // Today's class cards now stand for today's roll calls (see today.js).
  for (const card of document.querySelectorAll("[data-roll-call-card]")) card.dataset.day = today;
}

function moveRollCall(form, today, text) {
  const coming = form.dataset.followsToday.split(" ");
  if (form.dataset.day >= today || !coming.includes(today)) return;
  form.dataset.day = today;
  form.dataset.dayLabel = text.day(today, "medium");
  form.querySelector("input[name=day]").value = today;
  form.querySelector("[data-day-heading]").textContent = text.day(today, "full");
  form.querySelector("[data-day-state]").textContent = text.get("not_taken");
  const refresh = new URL(form.dataset.refreshUrl, window.location.href);
  refresh.searchParams.set("day", today);
  form.dataset.refreshUrl = refresh.pathname + refresh.search;
  for (const item of form.querySelectorAll("li[data-child-id]")) {
    const childId = item.dataset.childId;
    delete item.dataset.markId;
    item.classList.remove("conflict");
    for (const radio of item.querySelectorAll(`input[name="status-${childId}"]`)) {
      radio.checked = radio.defaultChecked = radio.value === "present";
    }
    const reason = item.querySelector(`input[name="reason-${childId}"]`);
    if (reason) reason.value = reason.defaultValue = "";
    item.querySelector(`input[name="version-${childId}"]`).value = "0";
  }
}
