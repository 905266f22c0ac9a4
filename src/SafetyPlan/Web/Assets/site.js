// A few lines of progressive enhancement; every form works without them.
// Reports (forms marked data-retry) are sent with fetch; when the network is gone the form's fields, including its
// clientId, are kept in localStorage and sent again when the connection returns. The server recognises the clientId,
// so a report is recorded once however often it is sent.
(function () {
  var KEY = 'safetyplan.pending';
  var status = document.getElementById('offline');
  function pending() { try { return JSON.parse(localStorage.getItem(KEY) || '[]'); } catch (e) { return []; } }
  function save(list) { localStorage.setItem(KEY, JSON.stringify(list)); }
  function say(text) { if (status) { status.textContent = text; status.hidden = false; } }
  function show(response) {
    if (response.redirected) { window.location.assign(response.url); return; }
    return response.text().then(function (html) { document.open(); document.write(html); document.close(); });
  }
  function post(item) {
    var body = new URLSearchParams();
    item.fields.forEach(function (f) { body.append(f[0], f[1]); });
    return fetch(item.action, { method: 'POST', body: body, credentials: 'same-origin' });
  }
  function flush() {
    var list = pending();
    if (list.length === 0) return;
    var item = list[0];
    post(item).then(function (response) {
      save(pending().slice(1));
      if (pending().length > 0) { flush(); return; }
      if (response.redirected) { window.location.assign(response.url); }
      else { say(document.body.dataset.offlineSent); }
    }).catch(function () { /* still offline: keep it */ });
  }
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.hasAttribute('data-retry') || !window.fetch) return;
    event.preventDefault();
    var data = new FormData(form, event.submitter);
    var item = { action: form.action, fields: Array.from(data.entries()) };
    post(item).then(show).catch(function () {
      var list = pending(); list.push(item); save(list);
      say(document.body.dataset.offlineSaved);
    });
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
