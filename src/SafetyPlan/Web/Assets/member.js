// The member page as an app (docs/scheduling-and-notifications.md, "The member page as an app"): registers the service
// worker (/sw.js) and turns Web Push on or off for this browser. Permission is asked only when the member presses the
// button; the subscription is made with the server's VAPID key (GET /api/push/key) and given to SafetyPlan with POST
// /api/me/push-subscriptions (DELETE to turn it off), with the page's antiforgery token as the pages' cookie needs.
(function () {
  var section = document.getElementById('push');
  var worker = 'serviceWorker' in navigator ? navigator.serviceWorker.register('/sw.js', { scope: '/member' }) : null;
  if (worker) worker.catch(function () { /* no worker: the page works as a plain page */ });
  if (!section) return;
  var on = document.getElementById('push-on');
  var off = document.getElementById('push-off');
  var state = document.getElementById('push-state');
  var texts = section.dataset;
  function say(text) { state.textContent = text; }
  function show(subscribed) { on.hidden = subscribed; off.hidden = !subscribed; say(subscribed ? texts.on : texts.off); }
  if (!worker || !('PushManager' in window) || !('Notification' in window)) {
    on.hidden = true; off.hidden = true; say(texts.unsupported); return;
  }
  function key(base64url) {
    var base64 = (base64url + '===='.slice(base64url.length % 4)).replace(/-/g, '+').replace(/_/g, '/');
    return Uint8Array.from(atob(base64), function (c) { return c.charCodeAt(0); });
  }
  function api(method, url, body) {
    return fetch(url, {
      method: method, credentials: 'same-origin', body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', 'RequestVerificationToken': texts.apiToken },
    });
  }
  function current() { return worker.then(function (registration) { return registration.pushManager.getSubscription(); }); }
  // The browser's subscription is given to SafetyPlan again on every visit (the same one changes nothing): a member added
  // again, or a record SafetyPlan lost, is reachable again, and "on" is said only when SafetyPlan has it.
  current().then(function (subscription) {
    if (!subscription) { show(false); return; }
    var json = subscription.toJSON();
    return api('POST', '/api/me/push-subscriptions', { endpoint: json.endpoint, keys: json.keys })
      .then(function (response) { show(response.ok); });
  }).catch(function () { show(false); });
  if (Notification.permission === 'denied') say(texts.blocked);

  on.addEventListener('click', function () {
    on.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== 'granted') { say(texts.blocked); return; }
      return Promise.all([navigator.serviceWorker.ready, fetch('/api/push/key').then(function (r) { return r.json(); })])
        .then(function (both) {
          return both[0].pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key(both[1].publicKey) });
        })
        .then(function (subscription) {
          var json = subscription.toJSON();
          return api('POST', '/api/me/push-subscriptions', { endpoint: json.endpoint, keys: json.keys }).then(function (response) {
            if (response.ok) { show(true); return; }
            return subscription.unsubscribe().then(function () { say(texts.failed); });
          });
        });
    }).catch(function () { say(texts.failed); }).then(function () { on.disabled = false; });
  });

  off.addEventListener('click', function () {
    off.disabled = true;
    current().then(function (subscription) {
      if (!subscription) { show(false); return; }
      return api('DELETE', '/api/me/push-subscriptions', { endpoint: subscription.endpoint }).then(function (response) {
        if (!response.ok) { say(texts.failed); return; }
        return subscription.unsubscribe().then(function () { show(false); });
      });
    }).catch(function () { say(texts.failed); }).then(function () { off.disabled = false; });
  });
})();
