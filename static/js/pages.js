/* The pages a user needs offline, kept in the Cache API, and the service worker that serves them.
 *
 * Cached pages hold personal data. They are saved after login (the server lists them), and
 * removed on logout, on a page shown to nobody logged in, and when another user logs in on
 * this phone.
 */

const USER_KEY = "qadam.user"; // the user whose pages are saved on this phone
const SAVED_KEY = "qadam.pages-saved"; // when they were saved
const MADE_FOR_KEY = "qadam.pages-made-for"; // the language and app version they were saved in
const REFRESH_MS = 6 * 60 * 60 * 1000;
const PARALLEL = 4;

export class OfflinePages {
  constructor(config, status) {
    this.config = config;
    this.status = status;
  }

  async start() {
    const registered = this.register();
    if (this.config.shell_page) return;
    if (!this.config.user_id) {
      await this.forget();
      return;
    }
    const loggedIn = localStorage.getItem(USER_KEY) !== this.config.user_id;
    if (loggedIn) {
      await this.clear(); // another user's pages, if any, go first
      localStorage.setItem(USER_KEY, this.config.user_id);
      await this.askForPersistentStorage();
    } else {
      await this.showPersistence();
    }
    const savedAt = Number(localStorage.getItem(SAVED_KEY) || 0);
    // A user who changed their language gets their offline copies in the new one; a new
    // version of the app, copies that name its assets' new versions.
    const madeFor = `${document.documentElement.lang} ${this.config.shell_version}`;
    const outdated = localStorage.getItem(MADE_FOR_KEY) !== madeFor;
    if (loggedIn || outdated || Date.now() - savedAt > REFRESH_MS || !(await this.saved())) {
      await pageIdle(); // the copies wait until this page is shown and at rest
      if (await this.save()) {
        localStorage.setItem(SAVED_KEY, String(Date.now()));
        localStorage.setItem(MADE_FOR_KEY, madeFor);
      }
    }
    await registered;
    await this.ready();
  }

  async register() {
    if (!("serviceWorker" in navigator)) return null;
    try {
      return await navigator.serviceWorker.register(this.config.urls.service_worker, {
        scope: this.config.urls.scope,
      });
    } catch (error) {
      return null; // the app works online without it
    }
  }

  /* Ask the server which pages this user needs, and save each one. */
  async save() {
    if (!("caches" in window)) return false;
    let pages;
    try {
      const response = await fetch(this.config.urls.offline_pages, {
        cache: "no-store",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return false;
      pages = (await response.json()).pages;
    } catch (error) {
      return false; // offline: keep what is saved
    }
    const cache = await caches.open(this.config.pages_cache);
    const listed = new Set(pages.map((page) => new URL(page, location.href).pathname));
    for (const request of await cache.keys()) {
      if (!listed.has(new URL(request.url).pathname)) await cache.delete(request);
    }
    const queue = [...pages];
    const worker = async () => {
      while (queue.length) await this.saveOne(cache, queue.shift());
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    return true;
  }

  async saveOne(cache, page) {
    try {
      const response = await fetch(page, {
        cache: "no-store",
        credentials: "same-origin",
        headers: { "X-Qadam-Purpose": "offline-copy" }, // audited as a copy to this phone
      });
      // The server leaves restricted data out of a copy for the phone; should a response
      // still carry it, it is not kept.
      const restricted = response.headers.has(this.config.restricted_header);
      if (response.ok && !response.redirected && !restricted) await cache.put(page, response);
    } catch (error) {
      // This page stays as it was; the next save tries again.
    }
  }

  async saved() {
    if (!("caches" in window)) return false;
    const cache = await caches.open(this.config.pages_cache);
    return (await cache.keys()).length > 0;
  }

  async clear() {
    if ("caches" in window) await caches.delete(this.config.pages_cache);
  }

  /* Nobody is logged in any more: nothing personal stays in the cache. */
  async forget() {
    await this.clear();
    localStorage.removeItem(USER_KEY);
    localStorage.removeItem(SAVED_KEY);
    localStorage.removeItem(MADE_FOR_KEY);
  }

  async askForPersistentStorage() {
    if (!navigator.storage || !navigator.storage.persist) return;
    const granted = await navigator.storage.persist().catch(() => false);
    if (this.status) this.status.showStorage(granted, true);
  }

  async showPersistence() {
    if (!navigator.storage || !navigator.storage.persisted) return;
    const persisted = await navigator.storage.persisted().catch(() => false);
    if (this.status) this.status.showStorage(persisted);
  }

  /* Say so once the pages are saved and the service worker serves this page. */
  async ready() {
    if (!("serviceWorker" in navigator) || !(await this.saved())) return;
    if (!navigator.serviceWorker.controller) {
      const controlled = new Promise((resolve) =>
        navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true })
      );
      // Loaded while the worker was activating, this page may have missed its claim.
      const registration = await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) registration.active.postMessage("claim");
      await controlled;
    }
    document.documentElement.dataset.offlineReady = "true";
    if (this.status) this.status.showOfflineReady();
  }
}

/* Once the page has loaded and the browser has a moment with nothing else to do. */
async function pageIdle() {
  if (document.readyState !== "complete") {
    await new Promise((resolve) => window.addEventListener("load", resolve, { once: true }));
  }
  if ("requestIdleCallback" in window) {
    await new Promise((resolve) => window.requestIdleCallback(resolve, { timeout: 2000 }));
  }
}
