/* Conflicts that wait for a person's decision, as the sync learned them from the server.
 *
 * An op answered with a `link` (the page where the person decides) is confirmed and leaves
 * the outbox; the decision is kept here, per user, in the outbox's meta store, until the person
 * opens its page or dismisses it. It is not an entry: nothing of it waits to be sent, it is not
 * counted as waiting and it does not hold back a logout. It names a kind and a page, no child.
 */

const key = (userId) => `decisions:${userId}`;

export async function listDecisions(outbox, userId) {
  return (await outbox.getMeta(key(userId))) || [];
}

/* Keep the decisions an answer asked for: one per page, the newest time. */
export async function addDecisions(outbox, userId, found) {
  const kept = new Map((await listDecisions(outbox, userId)).map((d) => [d.link, d]));
  for (const decision of found) {
    if (sameOriginPath(decision.link)) kept.set(decision.link, decision);
  }
  await outbox.setMeta({ [key(userId)]: [...kept.values()] });
}

export async function dropDecision(outbox, userId, link) {
  const kept = (await listDecisions(outbox, userId)).filter((d) => d.link !== link);
  await outbox.setMeta({ [key(userId)]: kept });
}

/* Open a decision's page; it is no longer listed once the person has been there. */
export async function openDecision(outbox, userId, link) {
  await dropDecision(outbox, userId, link);
  window.location.assign(link);
}

/* A link to one of our pages, never elsewhere, whatever the answer held. */
function sameOriginPath(link) {
  if (typeof link !== "string" || !link.startsWith("/") || link.startsWith("//")) return false;
  return new URL(link, location.origin).origin === location.origin;
}

/* A link to a decision's page that drops the decision as it opens it. */
export function decisionLink(outbox, userId, decision, label) {
  const link = document.createElement("a");
  link.href = decision.link;
  link.textContent = label;
  link.dataset.decision = "";
  link.addEventListener("click", (event) => {
    event.preventDefault();
    openDecision(outbox, userId, decision.link);
  });
  return link;
}
