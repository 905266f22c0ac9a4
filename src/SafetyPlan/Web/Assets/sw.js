// SafetyPlan's service worker, served as /sw.js so that it may control /member (docs/scheduling-and-notifications.md,
// "The member page as an app"). It shows Web Push messages and opens their page when tapped. It keeps no page in its
// cache: the member page holds case data, which stays out of the phone's storage (docs/security.md, "The member page as
// an app"); only the stylesheet, the scripts and the icons are kept, so the home-screen app starts without them from
// the network. Navigations and forms pass through untouched, so the page's own offline queue (site.js) works exactly as
// without it.
var CACHE = 'safetyplan-assets-v1';
var ASSETS = ['/assets/site.css', '/assets/site.js', '/assets/member.js', '/assets/icon-192.png', '/assets/icon-512.png'];

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(ASSETS); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) { return key !== CACHE; }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

// The assets from the network first (a new version shows at once), from the cache when there is no network.
self.addEventListener('fetch', function (event) {
  var url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || ASSETS.indexOf(url.pathname) < 0) return;
  event.respondWith(fetch(event.request).then(function (response) {
    if (response.ok) { var copy = response.clone(); caches.open(CACHE).then(function (cache) { cache.put(event.request, copy); }); }
    return response;
  }).catch(function () { return caches.match(event.request); }));
});

// Only a page of SafetyPlan itself is opened from a message; anything else opens the member page.
function ownPage(url) {
  try {
    var target = new URL(url || '/member', self.location.origin);
    return target.origin === self.location.origin ? target.href : new URL('/member', self.location.origin).href;
  } catch (e) { return new URL('/member', self.location.origin).href; }
}

// The payload (PushSender.PushPayload, encrypted end to end): { kind, title, url, id }.
self.addEventListener('push', function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { title: event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || 'SafetyPlan', {
    icon: '/assets/icon-192.png', badge: '/assets/icon-192.png', tag: data.id || undefined, data: { url: ownPage(data.url) },
  }));
});

self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var url = ownPage(event.notification.data && event.notification.data.url);
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      if (windows[i].url === url && 'focus' in windows[i]) return windows[i].focus();
    }
    return self.clients.openWindow(url);
  }));
});
