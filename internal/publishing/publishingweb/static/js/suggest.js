// Suggestions as one types in the header's search box: the titles of the
// best documents fill the box's list of choices (a native datalist, read
// by screen readers like any other). Without this script the box is a
// plain search form.
(function () {
  "use strict";
  var form = document.querySelector("form.header-search");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var list = document.getElementById(input.getAttribute("list"));
  if (!list) return;
  var urls = {}, timer = 0, asked = "";
  function ask() {
    var q = input.value.trim();
    if (q.length < 2 || q === asked) return;
    asked = q;
    fetch("/recherche/suggestions?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (data) {
        if (asked !== q) return; // a later request is on its way
        urls = {};
        list.textContent = "";
        data.suggestions.forEach(function (s) {
          var o = document.createElement("option");
          o.value = s.title;
          urls[s.title] = s.url;
          list.appendChild(o);
        });
      })
      .catch(function () {});
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 200);
  });
  // A chosen title leads to its page rather than to a search for it.
  form.addEventListener("submit", function (e) {
    var url = urls[input.value];
    if (url) {
      e.preventDefault();
      window.location.href = url;
    }
  });
})();
