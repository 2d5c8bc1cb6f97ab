// A campaign's progress bar follows its sending: at each event the page
// reads the figures again and updates the bar and the status line, which
// screen readers announce without moving the focus. An import's page,
// without events, reads its own page again every two seconds until done.
(function () {
  "use strict";
  var box = document.getElementById("progression");
  if (box && window.EventSource && window.fetch) {
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-field=text]");
    var label = box.querySelector("[data-field=label]");
    var refresh = function () {
      fetch(box.getAttribute("data-state"), { headers: { Accept: "application/json" }, cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (st) {
          if (!st) return;
          bar.max = Math.max(st.total, 1);
          bar.value = st.done;
          bar.textContent = st.percent + " %";
          if (text.textContent !== st.text) text.textContent = st.text;
          label.textContent = st.label;
          if (st.status !== "sending") source.close();
        })
        .catch(function () {});
    };
    var source = new EventSource(box.getAttribute("data-source"));
    source.addEventListener("open", refresh);
    source.addEventListener("progression", refresh);
    window.addEventListener("pagehide", function () { source.close(); });
  }
  var imp = document.getElementById("import-progression");
  if (imp && imp.getAttribute("data-reload") && window.fetch && window.DOMParser) {
    var every = parseInt(imp.getAttribute("data-reload"), 10);
    var tick = function () {
      fetch(window.location.href, { cache: "no-store" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) return;
          var next = new DOMParser().parseFromString(html, "text/html").getElementById("import-progression");
          if (!next) return;
          imp.querySelector("progress").value = next.querySelector("progress").value;
          imp.querySelector("progress").max = next.querySelector("progress").max;
          var st = imp.querySelector("[role=status]"), nst = next.querySelector("[role=status]");
          if (st.textContent !== nst.textContent) st.textContent = nst.textContent;
          if (next.getAttribute("data-reload")) window.setTimeout(tick, every);
          else window.location.reload();
        })
        .catch(function () {});
    };
    window.setTimeout(tick, every);
  }
})();
