// Dashboard: each listed charge's status badge follows Socket.IO (one subscribe per visible
// row, the same rooms the payment pages use); if the socket can't connect, poll every 10 s.
(function () {
  "use strict";
  var table = document.getElementById("charges");
  if (!table) { return; }
  var labels = JSON.parse(document.getElementById("status-labels").textContent);
  var live = document.getElementById("live");
  var liveText = live.textContent;
  var rows = {};
  Array.prototype.forEach.call(table.querySelectorAll("tr[data-charge-id]"), function (row) {
    rows[row.dataset.chargeId] = row.querySelector(".pill");
  });
  var ids = Object.keys(rows);
  var timer = null;

  function paint(id, status) {
    var pill = rows[String(id)];
    if (!pill || !labels[status] || pill.dataset.status === status) { return; }
    pill.dataset.status = status;
    pill.className = "pill pill-" + status.toLowerCase() + " changed";
    pill.textContent = labels[status];
  }

  function poll() {
    fetch(table.dataset.statesUrl + "?ids=" + ids.join(","), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (states) { Object.keys(states).forEach(function (id) { paint(id, states[id]); }); })
      .catch(function () { /* next tick */ });
  }

  function offline() {
    live.textContent = live.dataset.offline;
    if (!timer) { poll(); timer = setInterval(poll, 10000); }
  }

  if (!ids.length) { return; }
  if (typeof io !== "function") { offline(); return; }
  var socket = io();
  socket.on("connect", function () {
    live.textContent = liveText;
    if (timer) { clearInterval(timer); timer = null; }
    ids.forEach(function (id) { socket.emit("subscribe", { payment_id: Number(id) }); });
  });
  socket.on("connect_error", offline);
  socket.on("disconnect", offline);
  function repaint(state) { paint(state.id, state.status); }
  socket.on("payment-status", repaint);  // the state each subscription starts from
  ids.forEach(function (id) {  // then one event per transition, named after its payment
    ["confirmed", "expired", "removed"].forEach(function (what) {
      socket.on("payment-" + what + "-" + id, repaint);
    });
  });
})();
