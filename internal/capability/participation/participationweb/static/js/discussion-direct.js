// Tells a reader whose discussion page is open how many messages came
// since: a polite status message with a link to reload, read by screen
// readers without moving the focus. The page never rewrites itself under
// the reader. Without this script, or without EventSource, the page is
// the same, reloaded by hand.
(function () {
  "use strict";
  var box = document.getElementById("discussion-direct");
  if (!box || !window.EventSource) return;
  var source = new EventSource(box.getAttribute("data-source"));
  var count = 0;
  source.addEventListener("message", function () {
    count++;
    var text = count === 1 ? box.getAttribute("data-one") : box.getAttribute("data-many").replace("%d", count);
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
  });
  window.addEventListener("pagehide", function () { source.close(); });
})();
