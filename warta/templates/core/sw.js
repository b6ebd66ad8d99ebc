// warta's service worker ({{ version }}): static assets from the cache, pages from the
// network, the offline page when the network fails. Never stores a signed-in page.
"use strict";
const CACHE = "warta-static-{{ version }}";
const PRECACHE = {{ precache|safe }};
const STATIC_PREFIX = "{{ static_prefix|escapejs }}";
const OFFLINE_URL = "{{ offline_url|escapejs }}";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("warta-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;  // posts go to the network, never to a cache
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    // Static assets: the cache first, else the network (and keep a copy).
    event.respondWith(
      caches.open(CACHE).then((cache) =>
        cache.match(request).then((hit) => hit || fetch(request).then((response) => {
          if (response.ok && response.type === "basic") cache.put(request, response.clone());
          return response;
        }))
      )
    );
    return;
  }
  if (request.mode === "navigate") {
    // Pages: always the network; nothing of them is stored. Offline: the offline page.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
  }
});
