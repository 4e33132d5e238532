// Spanloupe's service worker, written into each build by scripts/offline.py
// with the build's files and a version that changes with any of them. After
// the first visit the viewer works offline: every file of the build is kept,
// and served from the cache. A new build is fetched in the background on a
// visit and takes over at the next one (the open page keeps what it loaded).
// Everything else (traces, APIs, a collector's live list) is the network's.
const VERSION = "__VERSION__";
const FILES = __FILES__;
// Per scope: two builds under two paths of one site keep their own.
const PREFIX = "spanloupe:" + self.registration.scope + ":";
const CACHE = PREFIX + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((file) => new Request(file, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith(PREFIX) && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const scope = new URL(self.registration.scope);
  const url = new URL(request.url);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const path = url.pathname.slice(scope.pathname.length);
  // The page, whatever its query (?embed=1, ?url=…) and hash.
  const file = request.mode === "navigate" && path === "" ? "index.html" : path;
  if (!FILES.includes(file)) return;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(new URL(file, scope).href))
      .then((kept) => kept || fetch(request)),
  );
});
