// Sandbox bank app: read a pasted code or a QR picture, show it as a bank app would, then pay it
// through pixgate's own JSON API (/sandbox/decode-image, /sandbox/decode, /sandbox/pay).
(function () {
  "use strict";
  var root = document.getElementById("bank");
  if (!root) { return; }
  var data = JSON.parse(document.getElementById("page-data").textContent);
  var msg = data.messages;
  var current = null;  // the code being reviewed

  function byId(id) { return document.getElementById(id); }

  function money(value) {
    return new Intl.NumberFormat(data.lang, { style: "currency", currency: "BRL" })
      .format(Number(value));
  }

  function step(name) {
    ["read-step", "review-step", "done-step"].forEach(function (id) {
      byId(id).hidden = id !== name;
    });
    var heading = byId(name).querySelector("h2");
    if (heading) { heading.focus(); }
  }

  function alertText(text) { byId("alert").textContent = text || ""; }

  function busy(button, label) {
    button.disabled = !!label;
    if (label) { button.dataset.label = button.textContent; button.textContent = label; }
    else if (button.dataset.label) { button.textContent = button.dataset.label; }
  }

  function answer(response) {
    return response.json().catch(function () { return {}; }).then(function (body) {
      if (!response.ok) { throw new Error(body.detail || ("HTTP " + response.status)); }
      return body;
    });
  }

  function postJSON(url, body) {
    return fetch(url, { method: "POST", headers: { "Content-Type": "application/json",
      Accept: "application/json" }, body: JSON.stringify(body) }).then(answer);
  }

  function fail(error) { alertText(msg.failed.replace("{detail}", error.message)); }

  function review(code) {
    var body = { pixCopiaECola: code };
    if (byId("pay-date").value) { body.data = byId("pay-date").value; }
    return postJSON(root.dataset.decodeUrl, body).then(function (r) {
      current = code;
      byId("r-amount").textContent = r.valor ? money(r.valor) : msg.none;
      byId("r-receiver").textContent = r.recebedor || msg.none;
      byId("r-city").textContent = r.cidade || msg.none;
      byId("r-key").textContent = r.chave || msg.none;
      byId("r-txid").textContent = r.txid || msg.none;
      byId("r-kind").textContent = r.tipo === "dynamic" ? msg.dynamic : msg.static;
      byId("amount-field").hidden = !!r.valor && !r.valorAlteravel;
      if (r.valorAlteravel && r.valor) { byId("valor").value = r.valor; }
      step("review-step");
    });
  }

  function readImage(file) {
    var form = new FormData();
    form.append("image", file);
    return fetch(root.dataset.imageUrl, { method: "POST", body: form,
      headers: { Accept: "application/json" } }).then(answer).then(function (body) {
      byId("code").value = body.pixCopiaECola;
      return body.pixCopiaECola;
    });
  }

  function read(useImage) {
    alertText("");
    var file = byId("image").files[0];
    var code = byId("code").value.trim();
    var button = byId("read");
    if (!file && !code) { alertText(msg.empty); byId("code").focus(); return; }
    busy(button, msg.reading);
    var source = useImage && file ? readImage(file) : Promise.resolve(code);
    source.then(review).catch(fail).then(function () { busy(button, null); });
  }

  byId("read-form").addEventListener("submit", function (event) {
    event.preventDefault();
    read(!byId("code").value.trim());
  });
  byId("image").addEventListener("change", function () { if (this.files[0]) { read(true); } });

  byId("pay").addEventListener("click", function () {
    alertText("");
    var body = { pixCopiaECola: current };
    if (byId("pay-date").value) { body.data = byId("pay-date").value; }
    if (!byId("amount-field").hidden) {
      var typed = byId("valor").value.trim();
      body.valor = typed.indexOf(",") >= 0 ? typed.replace(/\./g, "").replace(",", ".") : typed;
    }
    var button = byId("pay");
    busy(button, msg.paying);
    postJSON(root.dataset.payUrl, body).then(function (pix) {
      byId("d-amount").textContent = money(pix.valor);
      byId("d-e2e").textContent = pix.endToEndId;
      byId("d-when").textContent = new Date(pix.horario).toLocaleString(data.lang,
        { timeZone: "America/Sao_Paulo" });
      step("done-step");
    }).catch(fail).then(function () { busy(button, null); });
  });

  byId("cancel").addEventListener("click", function () { alertText(""); step("read-step"); });
  byId("again").addEventListener("click", function () {
    byId("code").value = "";
    byId("image").value = "";
    current = null;
    step("read-step");
  });
})();
