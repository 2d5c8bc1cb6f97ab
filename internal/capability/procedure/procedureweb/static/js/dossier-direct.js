// Tells a resident whose case page is open that the mairie has just
// written or decided: a polite status message with a link to reload,
// read by screen readers without moving the focus. The page never
// rewrites itself under the reader. Without this script, or without
// EventSource, the page is the same, reloaded by hand.
(function () {
  "use strict";
  var box = document.getElementById("dossier-direct");
  if (!box || !window.EventSource) return;
  var source = new EventSource(box.getAttribute("data-source"));
  function tell(text) {
    box.textContent = text + " ";
    var a = document.createElement("a");
    a.href = window.location.pathname + "#messages";
    a.textContent = box.getAttribute("data-reload");
    a.addEventListener("click", function (e) {
      e.preventDefault();
      window.location.reload();
    });
    box.appendChild(a);
    box.hidden = false;
  }
  source.addEventListener("message", function () { tell(box.getAttribute("data-message")); });
  source.addEventListener("etat", function () { tell(box.getAttribute("data-state")); });
  window.addEventListener("pagehide", function () { source.close(); });
})();
