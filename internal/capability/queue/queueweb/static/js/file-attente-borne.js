// Kiosk pages: after a while without a touch, a dialog asks whether the
// visitor is still there (RGAA 13.1: the delay is the kiosk's setting,
// and "Continue" gives it again); without an answer the kiosk returns to
// its home page in French, leaving nothing of the visit on screen.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-idle"), 10) || 60;
  var reset = body.getAttribute("data-reset");
  var home = body.getAttribute("data-home");
  var dialog = document.getElementById("borne-inactivite");
  var countdown = document.getElementById("borne-decompte");
  // The warning lasts 20 seconds, or the delay itself when shorter.
  var grace = Math.min(20, idle);
  var timer = null, tick = null, left = grace;

  // The home page in French, untouched, has nothing to clear.
  function atRest() {
    return window.location.pathname === home && document.documentElement.lang === "fr" &&
      !document.querySelector(".error-summary") && !document.querySelector("input:checked");
  }
  function leave() { window.location.replace(reset); }
  function warn() {
    if (atRest()) { arm(); return; }
    if (!dialog || !dialog.showModal) { leave(); return; }
    left = grace;
    countdown.textContent = String(left);
    dialog.showModal();
    tick = window.setInterval(function () {
      left -= 1;
      countdown.textContent = String(left);
      if (left <= 0) { window.clearInterval(tick); leave(); }
    }, 1000);
  }
  function arm() {
    window.clearTimeout(timer);
    timer = window.setTimeout(warn, idle * 1000);
  }
  if (dialog) {
    dialog.addEventListener("close", function () { window.clearInterval(tick); arm(); });
  }
  ["pointerdown", "keydown", "touchstart", "input"].forEach(function (name) {
    document.addEventListener(name, function () { if (!dialog || !dialog.open) arm(); }, { passive: true });
  });
  arm();

  // A ticket prints on the kiosk's 80 mm printer (see the print style).
  var print = document.getElementById("borne-imprimer");
  if (print && window.print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
  // The check-in field waits for the scanner, which types the code and Enter.
  var reference = document.getElementById("champ-reference");
  if (reference && !document.querySelector(".error-summary")) reference.focus();
})();
