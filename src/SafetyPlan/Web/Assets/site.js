// A few lines of progressive enhancement; every form works without them.
// Reports (forms marked data-retry) are sent with fetch. A report the server could not take now (no network, 5xx, 408,
// 429, or a sign-in that ran out) is kept with its clientId and sent again later; the server recognises the clientId, so
// a report is recorded once however often it is sent. Only a definite refusal (any other 4xx) drops it, with a message.
// A report may hold a note about a child: it waits in sessionStorage (gone when the tab closes), never in localStorage,
// and leaves storage the moment the server has accepted or refused it (docs/security.md, "The member's offline queue").
(function () {
  var KEY = 'safetyplan.pending';
  var status = document.getElementById('offline');
  var store = window.sessionStorage;
  try { window.localStorage.removeItem(KEY); } catch (e) { /* an older version kept reports there */ }
  function pending() { try { return JSON.parse(store.getItem(KEY) || '[]'); } catch (e) { return []; } }
  function save(list) { if (list.length === 0) store.removeItem(KEY); else store.setItem(KEY, JSON.stringify(list)); }
  function keep(item) { var list = pending(); list.push(item); save(list); }
  function say(text, alarm) {
    if (!status) return;
    status.textContent = text;
    status.className = alarm ? 'error' : 'notice';
    status.setAttribute('role', alarm ? 'alert' : 'status');
    status.hidden = false;
  }
  function retryable(response) { return response.status >= 500 || response.status === 408 || response.status === 429; }
  function toSignIn(response) { return response.redirected && new URL(response.url).pathname === '/sign-in'; }
  function refused(response) { return response.status >= 400 && !retryable(response); }
  function show(response) {
    if (response.redirected) { window.location.assign(response.url); return; }
    return response.text().then(function (html) {
      if (!html) { say(document.body.dataset.offlineRefused, true); return; }
      document.open(); document.write(html); document.close();
    });
  }
  function post(item) {
    var body = new URLSearchParams();
    item.fields.forEach(function (f) { body.append(f[0], f[1]); });
    return fetch(item.action, { method: 'POST', body: body, credentials: 'same-origin' });
  }
  var sending = false;
  function flush() {
    var list = pending();
    if (list.length === 0 || sending) return;
    sending = true;
    post(list[0]).then(function (response) {
      sending = false;
      if (retryable(response)) return; // kept; tried again on the next round
      if (toSignIn(response)) { window.location.assign(response.url); return; } // kept; sent once signed in again
      save(pending().slice(1));
      if (refused(response)) { say(document.body.dataset.offlineRefused, true); return; }
      if (pending().length > 0) { flush(); return; }
      if (response.redirected) { window.location.assign(response.url); }
      else { say(document.body.dataset.offlineSent); }
    }).catch(function () { sending = false; /* still offline: keep it */ });
  }
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.hasAttribute('data-retry') || !window.fetch) return;
    event.preventDefault();
    var data = new FormData(form, event.submitter);
    var item = { action: form.action, fields: Array.from(data.entries()) };
    var later = function () { keep(item); say(document.body.dataset.offlineSaved); };
    post(item).then(function (response) {
      if (retryable(response)) { later(); return; }
      if (toSignIn(response)) { keep(item); window.location.assign(response.url); return; }
      return show(response);
    }).catch(later);
  });
  window.addEventListener('online', flush);
  setInterval(flush, 15000);
  flush();
  // The as-of slider shows the plan at the chosen version as soon as it is let go.
  document.querySelectorAll('input[data-autosubmit]').forEach(function (input) {
    input.addEventListener('change', function () {
      var asOf = input.form.querySelector('input[name=asOf]'); if (asOf) asOf.value = '';
      input.form.submit();
    });
  });
})();
