// Payment page: subscribe to this payment's room, flip views on events, poll if sockets fail.
(function () {
  "use strict";
  var root = document.getElementById("payment");
  if (!root) { return; }
  var paymentId = Number(root.dataset.paymentId);
  var views = { ACTIVE: "pending-view", PAID: "paid-view", EXPIRED: "expired-view" };
  var messages = {
    ACTIVE: "Aguardando pagamento.", PAID: "Pagamento confirmado.",
    EXPIRED: "Este pagamento expirou.", REMOVED: "Este pagamento foi cancelado."
  };

  function show(status) {
    if (root.dataset.status === "PAID") { return; }
    root.dataset.status = status;
    Object.keys(views).forEach(function (key) {
      document.getElementById(views[key]).hidden = key !== status;
    });
    document.getElementById("status").textContent = messages[status] || status;
  }

  function poll() {
    fetch(root.dataset.statusUrl, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s) { show(s.status); } })
      .catch(function () { /* next tick retries */ });
  }

  var copy = document.getElementById("copy");
  if (copy) {
    copy.addEventListener("click", function () {
      var field = document.getElementById("brcode");
      var done = function () { document.getElementById("status").textContent = "Código copiado."; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          field.select(); document.execCommand("copy"); done();
        });
      } else { field.select(); document.execCommand("copy"); done(); }
    });
  }

  if (typeof io === "function") {
    var socket = io({ auth: { payment_id: paymentId } });
    socket.on("payment-status", function (s) { show(s.status); });
    socket.on("payment-confirmed-" + paymentId, function () { show("PAID"); });
    socket.on("payment-expired-" + paymentId, function () { show("EXPIRED"); });
    socket.on("connect_error", poll);
  }
  setInterval(function () { if (root.dataset.status === "ACTIVE") { poll(); } }, 15000);
})();
