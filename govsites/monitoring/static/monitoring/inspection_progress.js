// Poll a running inspection's progress; open its report when it is done.
(function () {
  "use strict";
  var panel = document.querySelector("[data-inspection-progress]");
  if (!panel) { return; }
  var url = panel.getAttribute("data-inspection-progress");
  function show(name, value) {
    var node = panel.querySelector("[data-field='" + name + "']");
    if (node) { node.textContent = value; }
  }
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (p) {
        show("status_label", p.status_label);
        show("pages", p.pages);
        show("links", p.links);
        show("queued", p.queued);
        show("updated_at", p.updated_at);
        var bar = panel.querySelector("progress");
        if (bar) { bar.value = Math.min(p.pages, p.max_pages); }
        if (p.in_progress) { window.setTimeout(poll, 2000); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
