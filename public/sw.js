// Atrium service worker: keeps the application shell (offline page, manifest, icons,
// and the hashed CSS/JS/WASM once loaded) so the installed app opens without a network
// and shows the offline page instead of the browser's error.
const VERSION = 'atrium-shell-v2';
const SHELL = ['/offline.html', '/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon-512.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  // Pages: always the network (they carry the user's data), the offline page without it.
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(() => caches.match('/offline.html')));
    return;
  }
  // Hashed build files never change: cache first, fill the cache as they are used.
  if (url.pathname.startsWith('/pkg/') || url.pathname.startsWith('/icons/')) {
    event.respondWith(
      caches.match(request).then(
        (hit) =>
          hit ||
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              caches.open(VERSION).then(async (cache) => {
                // A new build has new file names: drop the previous build's copy of the same
                // file (the main module and each lazy chunk are cached side by side; a
                // file is `name.<hash>.ext`).
                const key = (pathname) => {
                  const parts = pathname.split('/').pop().split('.');
                  return parts[0] + '.' + parts[parts.length - 1];
                };
                for (const old of await cache.keys()) {
                  const oldPath = new URL(old.url).pathname;
                  if (oldPath.startsWith('/pkg/') && oldPath !== url.pathname && key(oldPath) === key(url.pathname)) {
                    await cache.delete(old);
                  }
                }
                await cache.put(request, copy);
              });
            }
            return response;
          }),
      ),
    );
  }
});
