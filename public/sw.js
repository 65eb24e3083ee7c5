// Offline support: network first for the app's own files, the last good copy when offline.
// The results API is never cached (uploads and the dataset must be live). Model files (/models/)
// are left to the page's own model cache: copying them here would keep a second copy of hundreds
// of MB that "forget downloaded models" cannot see. A Range request (a resumed download) goes
// straight to the network: a 206 cannot be cached, and failing to cache it must not fail the fetch.
const CACHE = 'frugal-ai-lab-v1';

self.addEventListener('install', () => self.skipWaiting());
// Earlier versions of this worker copied /models/ files into CACHE: drop those copies on activation.
self.addEventListener('activate', (event) =>
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const req of await cache.keys()) if (new URL(req.url).pathname.includes('/models/')) await cache.delete(req);
      await self.clients.claim();
    })(),
  ),
);

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.includes('/api/') || url.pathname.includes('/models/') || url.pathname.endsWith('/healthz')) return;
  if (req.headers.has('range')) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const res = await fetch(req);
        // Keeping a copy is best effort: a full storage must not fail the page's request.
        if (res.status === 200 && res.type === 'basic') await cache.put(req, res.clone()).catch(() => undefined);
        return res;
      } catch (err) {
        const hit = await cache.match(req, { ignoreSearch: true });
        if (hit) return hit;
        throw err;
      }
    })(),
  );
});
