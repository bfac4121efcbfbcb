/* Qadam's service worker: the app shell from its cache, pages network-first.
 *
 * It never handles a request other than GET: a POST (or PUT, DELETE...) goes straight to the
 * network and is never cached or replayed. What is recorded offline waits in the outbox
 * (static/js/outbox.js), not here.
 */
"use strict";

const VERSION = {{ version|tojson }};
const SHELL_CACHE = "qadam-shell-" + VERSION;
const SHELL = {{ precache|tojson }};
const PAGES_CACHE = {{ pages_cache|tojson }};
// A page shown with restricted data (a child's background) is never kept on the phone.
const RESTRICTED_HEADER = {{ restricted_header|tojson }};
const OFFLINE_PAGE = {{ offline_url|tojson }};
// One page kept for many addresses (a child's form, the same for every child): {pattern, page}.
const STAND_INS = {{ stand_ins|tojson }};
const NETWORK_TIMEOUT_MS = 6000;

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

/* An asset's URL names its version (?v=, see app/core/assets.py): one an earlier worker kept
 * is copied, not downloaded again, and one the page just loaded comes from the browser's HTTP
 * cache. Only the rest (the offline page, the manifest, new versions) use the network. */
async function precache() {
  const cache = await caches.open(SHELL_CACHE);
  await Promise.all(
    SHELL.map(async (url) => {
      const versioned = new URL(url, self.location.href).searchParams.has("v");
      if (versioned) {
        const kept = await caches.match(url);
        if (kept) return cache.put(url, kept);
      }
      const response = await fetch(url, { cache: versioned ? "default" : "no-cache" });
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      return cache.put(url, response);
    })
  );
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("qadam-shell-") && name !== SHELL_CACHE)
            .map((name) => caches.delete(name))
        )
      )
      .then(() => self.clients.claim())
  );
});

/* A page that loaded while this worker was activating asks to be claimed. */
self.addEventListener("message", (event) => {
  if (event.data === "claim") event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // straight to the network, never cached
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (SHELL.includes(url.pathname + url.search)) {
    event.respondWith(shell(request));
  }
});

async function shell(request) {
  const cache = await caches.open(SHELL_CACHE);
  return (await cache.match(request)) || fetch(request);
}

/* Network first; a page the user keeps offline is refreshed in its cache on the way. A
 * network that does not answer in time counts as none when a saved copy exists. */
async function page(event) {
  const request = event.request;
  const network = fetch(request).then((response) => {
    const keepable = response.ok && !response.redirected && response.type === "basic";
    if (keepable && !response.headers.has(RESTRICTED_HEADER)) {
      event.waitUntil(keepFresh(request, response.clone()));
    }
    return response;
  });
  network.catch(() => null); // a late failure after the saved copy was shown is no error
  const timeout = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT_MS, null));
  try {
    const first = await Promise.race([network, timeout]);
    if (first) return first;
    const saved = await cachedPage(request);
    if (saved) {
      event.waitUntil(network.catch(() => null)); // still refresh the saved copy
      return saved;
    }
    return await network;
  } catch (error) {
    return (await cachedPage(request)) || (await caches.match(OFFLINE_PAGE)) || Response.error();
  }
}

/* The pages kept for this user, or null: opening a cache would make one, and after a logout
 * the phone keeps none. */
async function pagesCache() {
  return (await caches.has(PAGES_CACHE)) ? caches.open(PAGES_CACHE) : null;
}

async function keepFresh(request, response) {
  const cache = await pagesCache();
  // Only pages already kept for this user (listed by the server at login) are refreshed.
  if (cache && (await cache.match(request, { ignoreSearch: true }))) {
    await cache.put(request, response);
  }
}

/* The saved copy of this page; the one page that stands in for its address; or another
 * address of the same page if it shows that day. */
async function cachedPage(request) {
  const cache = await pagesCache();
  if (!cache) return null;
  const exact = await cache.match(request);
  if (exact) return exact;
  const path = new URL(request.url).pathname;
  const standIn = STAND_INS.find((each) => new RegExp(each.pattern).test(path));
  if (standIn) return (await cache.match(standIn.page)) || null;
  const day = new URL(request.url).searchParams.get("day");
  if (!day) return null;
  for (const candidate of await cache.matchAll(request, { ignoreSearch: true })) {
    const html = await candidate.clone().text();
    if (html.includes(`data-day="${day}"`)) return candidate;
  }
  return null;
}
