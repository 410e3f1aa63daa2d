/* Facet filtering of the 数据开放 catalogue without a server round trip: the page is a static
   file listing every dataset; choosing a facet value hides the others. Without this script
   the facet lists still show the counts and every dataset stays listed. */
(function () {
  "use strict";
  var list = document.getElementById("dataset-list");
  if (!list) { return; }
  var status = document.getElementById("facet-status");
  var chosen = {};
  function apply() {
    var shown = 0;
    Array.prototype.forEach.call(list.querySelectorAll("li[data-facets]"), function (item) {
      var facets = JSON.parse(item.getAttribute("data-facets"));
      var ok = Object.keys(chosen).every(function (name) { return facets[name] === chosen[name]; });
      item.hidden = !ok;
      if (ok) { shown += 1; }
    });
    if (status) { status.textContent = "显示 " + shown + " 个数据集"; }
  }
  Array.prototype.forEach.call(document.querySelectorAll("button[data-facet]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var name = button.getAttribute("data-facet");
      var value = button.getAttribute("data-value");
      var active = chosen[name] === value;
      Array.prototype.forEach.call(document.querySelectorAll('button[data-facet="' + name + '"]'),
        function (other) { other.setAttribute("aria-pressed", "false"); });
      if (active) { delete chosen[name]; } else { chosen[name] = value; button.setAttribute("aria-pressed", "true"); }
      apply();
    });
  });
}());
