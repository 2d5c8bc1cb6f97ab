// The display board: each call is announced (screen readers through the
// live region, a chime when the sound is on) and the board is read again
// whole from its state; after a network cut the stream reconnects and the
// board catches up at once.
(function () {
  "use strict";
  var main = document.querySelector(".board-main");
  if (!main || !window.fetch) return;
  var stateURL = main.getAttribute("data-state");
  var announce = document.getElementById("ecran-annonce");
  var link = document.getElementById("ecran-liaison");
  var soundButton = document.getElementById("ecran-son");
  var sound = false, audio = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function fill(list, items, render, empty) {
    while (list.firstChild) list.removeChild(list.firstChild);
    items.forEach(function (it) { list.appendChild(render(it)); });
    if (!items.length && empty) list.appendChild(el("li", "board-empty", empty));
  }
  function callItem(c) {
    var li = el("li");
    li.appendChild(el("span", "board-ticket", c.label));
    li.appendChild(document.createTextNode(" "));
    var arrow = el("span", "board-arrow", "→");
    arrow.setAttribute("aria-hidden", "true");
    li.appendChild(arrow);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("span", "board-counter", c.counter));
    return li;
  }
  function render(b) {
    fill(document.getElementById("ecran-appels"), b.calls, callItem, main.getAttribute("data-none"));
    fill(document.getElementById("ecran-derniers"), b.recent, function (c) { return el("li", "", c.label + " → " + c.counter); });
    var body = document.getElementById("ecran-services");
    while (body.firstChild) body.removeChild(body.firstChild);
    b.services.forEach(function (s) {
      var tr = el("tr");
      var th = el("th", "", s.letter + " – " + s.name);
      th.scope = "row";
      tr.appendChild(th);
      tr.appendChild(el("td", "", String(s.waiting)));
      tr.appendChild(el("td", "", s.wait_text));
      body.appendChild(tr);
    });
  }
  var loading = null, again = false;
  function refresh() {
    if (loading) { again = true; return; }
    loading = fetch(stateURL, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(render)
      .catch(function () {})
      .then(function () { loading = null; if (again) { again = false; refresh(); } });
  }
  function chime() {
    if (!sound) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      [660, 880].forEach(function (f, i) {
        var o = audio.createOscillator(), g = audio.createGain();
        o.frequency.value = f;
        g.gain.setValueAtTime(0.2, audio.currentTime + i * 0.35);
        g.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + i * 0.35 + 0.3);
        o.connect(g); g.connect(audio.destination);
        o.start(audio.currentTime + i * 0.35); o.stop(audio.currentTime + i * 0.35 + 0.3);
      });
    } catch (e) { /* no sound on this screen */ }
  }
  if (soundButton) {
    soundButton.hidden = false;
    soundButton.addEventListener("click", function () {
      sound = !sound;
      soundButton.setAttribute("aria-pressed", String(sound));
      chime();
    });
  }
  function clock() {
    var c = document.getElementById("ecran-heure");
    if (c) c.textContent = new Date().toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
  }
  clock();
  window.setInterval(clock, 15000);
  // A board left on for days: a full read every minute besides the stream.
  window.setInterval(refresh, 60000);
  if (!window.EventSource) return;
  var source = new EventSource(main.getAttribute("data-source"));
  // data-live says whether the stream is open, for those who watch the board.
  source.addEventListener("open", function () { main.setAttribute("data-live", "open"); link.textContent = ""; refresh(); });
  source.addEventListener("error", function () { main.setAttribute("data-live", "lost"); link.textContent = link.getAttribute("data-lost"); });
  source.addEventListener("appel", function (e) {
    try {
      var c = JSON.parse(e.data);
      announce.textContent = main.getAttribute("data-announce").replace("%s", c.label).replace("%s", c.counter);
    } catch (err) { /* a malformed event only costs its announcement */ }
    chime();
    refresh();
  });
  source.addEventListener("file", refresh);
})();
