// The agent's console: one key per action (N next, R recall, T done,
// A absent, P pause) when no field has the focus, and a polite notice
// when the queue changes, without reloading under the agent.
(function () {
  "use strict";
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.repeat) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(t.tagName) && t.type !== "submit")) return;
    var b = document.querySelector('button[data-shortcut="' + e.key.toLowerCase() + '"]');
    if (!b || b.disabled) return;
    e.preventDefault();
    b.click();
  });
  var box = document.querySelector(".console");
  var live = document.getElementById("console-direct");
  if (!box || !live || !window.EventSource) return;
  var source = new EventSource(box.getAttribute("data-source"));
  function changed() {
    live.textContent = box.getAttribute("data-changed") + " ";
    var a = document.createElement("a");
    a.href = window.location.pathname;
    a.textContent = box.getAttribute("data-reload");
    live.appendChild(a);
  }
  source.addEventListener("file", changed);
  source.addEventListener("appel", changed);
  window.addEventListener("pagehide", function () { source.close(); });
})();
