// A remote ticket follows its queue: at each change it reads its status
// again and says it in the status region (read by screen readers without
// moving the focus); when it is called the phone vibrates.
(function () {
  "use strict";
  var box = document.getElementById("ticket");
  var region = document.getElementById("ticket-statut");
  if (!box || !region || !window.EventSource || !window.fetch) return;
  var last = "";
  function show(st) {
    if (st.text === last) return;
    last = st.text;
    while (region.firstChild) region.removeChild(region.firstChild);
    var p = document.createElement("p");
    p.className = "ticket-position";
    p.textContent = st.text;
    region.appendChild(p);
    if (st.detail) {
      var d = document.createElement("p");
      d.textContent = st.detail;
      region.appendChild(d);
    }
    if (st.state === "called" && navigator.vibrate) navigator.vibrate([300, 150, 300]);
  }
  function refresh() {
    fetch(box.getAttribute("data-state"), { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (st) { if (st) show(st); })
      .catch(function () {});
  }
  var source = new EventSource(box.getAttribute("data-source"));
  source.addEventListener("open", function () { box.setAttribute("data-live", "open"); refresh(); });
  source.addEventListener("error", function () { box.setAttribute("data-live", "lost"); });
  source.addEventListener("appel", refresh);
  source.addEventListener("file", refresh);
  window.addEventListener("pagehide", function () { source.close(); });
})();
