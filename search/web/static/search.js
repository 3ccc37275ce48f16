// Small additions to a page that works without them: "/" focuses the search box, and
// typing in it updates the results after a pause (the URL follows, Back still works).
(function () {
  "use strict";
  var box = document.getElementById("q");
  if (!box) { return; }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
  var results = document.getElementById("results");
  var facets = document.getElementById("facets");
  if (!results || !facets) { return; }
  var timer = null;
  var latest = 0;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 350);
  });
  function update() {
    var form = box.form;
    var query = new URLSearchParams(new FormData(form));
    query.delete("page");
    if (!box.value.trim()) { query.delete("q"); }
    var url = "/?" + query.toString();
    var ticket = ++latest;
    fetch(url, { headers: { "Accept": "text/html" } }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html === null || ticket !== latest) { return; }
      var page = new DOMParser().parseFromString(html, "text/html");
      var newResults = page.getElementById("results");
      var newFacets = page.getElementById("facets");
      if (!newResults || !newFacets) { return; }
      results.replaceWith(newResults);
      facets.replaceWith(newFacets);
      results = newResults;
      facets = newFacets;
      history.replaceState(null, "", url);
      document.title = page.title;
    }).catch(function () { /* the form still submits on Enter */ });
  }
}());
