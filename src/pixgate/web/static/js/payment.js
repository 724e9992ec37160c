// Payment page: live status by Socket.IO, polling when it can't connect, a countdown on the
// server's clock, and a copy button that works with or without the Clipboard API.
(function () {
  "use strict";
  var root = document.getElementById("payment");
  var dataNode = document.getElementById("page-data");
  if (!root || !dataNode) { return; }
  var data = JSON.parse(dataNode.textContent);
  var msg = data.messages;
  var views = { ACTIVE: "pending-view", PAID: "paid-view", EXPIRED: "expired-view",
                REMOVED: "removed-view" };
  var status = data.status;
  var expiresAt = Date.parse(data.expiresAt);
  var skew = Date.parse(data.serverNow) - Date.now();  // server clock minus this device's
  var connected = false;
  var pollTimer = null;
  var pollDue = 0;

  function byId(id) { return document.getElementById(id); }

  function final() { return status === "PAID" || status === "REMOVED"; }

  function show(next, state) {
    if (!views[next] || status === "PAID" || next === status) { return; }
    var focused = document.activeElement;
    var hadFocus = focused && byId(views[status]) && byId(views[status]).contains(focused);
    status = next;
    root.dataset.status = next;
    Object.keys(views).forEach(function (key) { byId(views[key]).hidden = key !== next; });
    var line = byId("status");
    line.className = "status status-" + next.toLowerCase();
    byId("status-text").textContent = msg["status_" + next];
    document.title = msg["status_" + next] + " · " + document.title.split(" · ").slice(1).join(" · ");
    if (next === "PAID" && state && state.paid_at) { byId("paid-at").textContent = paidAt(state); }
    if (hadFocus || next === "PAID") {
      var heading = byId(next.toLowerCase() + "-title");
      if (heading) { heading.focus(); }
    }
  }

  function paidAt(state) {
    var when = state.paid_at;
    try {
      when = new Intl.DateTimeFormat(data.lang, { dateStyle: "short", timeStyle: "short",
        timeZone: "America/Sao_Paulo" }).format(new Date(state.paid_at));
    } catch (e) { /* keep the ISO text */ }
    return msg.paid_at.replace("{time}", when);
  }

  function apply(state) {
    if (!state || !state.status) { return; }
    if (state.expiration_date) { expiresAt = Date.parse(state.expiration_date); }
    if (state.server_time) { skew = Date.parse(state.server_time) - Date.now(); }
    if (state.value && byId("amount").value !== state.value) {
      byId("amount").value = state.value;
      byId("amount").textContent = new Intl.NumberFormat(data.lang,
        { style: "currency", currency: "BRL" }).format(Number(state.value));
    }
    show(state.status, state);
    tick();
  }

  function poll() {
    return fetch(data.statusUrl, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(apply)
      .catch(function () { /* offline: the next poll retries */ });
  }

  // Socket.IO retries fire connect_error every second or two; a retry must never push back a
  // poll already due sooner, or the fallback would starve while the socket keeps failing.
  function schedule() {
    if (final()) { clearTimeout(pollTimer); pollTimer = null; return; }
    var due = Date.now() + (connected ? 30000 : 3000);
    if (pollTimer && pollDue <= due) { return; }
    clearTimeout(pollTimer);
    pollDue = due;
    pollTimer = setTimeout(function () { pollTimer = null; poll().then(schedule); },
      due - Date.now());
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    if (status !== "ACTIVE") { return; }
    var left = Math.max(0, Math.floor((expiresAt - (Date.now() + skew)) / 1000));
    var days = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600);
    var m = Math.floor(left % 3600 / 60), s = left % 60;
    var text = h || days ? h + ":" + pad(m) + ":" + pad(s) : pad(m) + ":" + pad(s);
    byId("countdown").textContent = days ? days + "d " + text : text;
    byId("countdown").classList.toggle("urgent", left <= 60);
    if (left === 0) { show("EXPIRED"); poll(); }
  }

  function copied(ok) {
    var feedback = byId("copy-feedback");
    feedback.textContent = ok ? msg.copied : msg.copy_failed;
    if (!ok) { return; }
    byId("copy-label").textContent = msg.copied_short;
    setTimeout(function () { byId("copy-label").textContent = msg.copy; }, 2500);
  }

  function fallbackCopy(field) {
    field.focus();
    field.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    byId("copy").focus();
    copied(ok);
  }

  byId("copy").addEventListener("click", function () {
    var field = byId("brcode");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { copied(true); },
        function () { fallbackCopy(field); });
    } else { fallbackCopy(field); }
  });

  byId("brcode").addEventListener("focus", function () { this.select(); });

  if (typeof io === "function" && !final()) {
    var socket = io({ auth: { payment_id: data.paymentId } });
    socket.on("connect", function () { connected = true; poll(); schedule(); });
    socket.on("disconnect", function () { connected = false; schedule(); });
    socket.on("connect_error", function () { connected = false; schedule(); });
    socket.on("payment-status", apply);
    socket.on("payment-confirmed-" + data.paymentId, function (s) { apply(s); show("PAID", s); });
    socket.on("payment-expired-" + data.paymentId, apply);
    socket.on("payment-removed-" + data.paymentId, apply);
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && !final()) { poll(); }
  });
  window.addEventListener("online", function () { if (!final()) { poll(); } });
  setInterval(tick, 1000);
  tick();
  schedule();
})();
