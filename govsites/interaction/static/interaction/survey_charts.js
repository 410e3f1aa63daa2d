/* Draw a closed survey's results with the vendored ECharts (no third-party script).
   The numbers are in <script type="application/json" id="survey-charts">; each chart also has
   a visible table below it, so nothing depends on this script. */
(function () {
  "use strict";
  var source = document.getElementById("survey-charts");
  if (!source || typeof window.echarts === "undefined") { return; }
  JSON.parse(source.textContent || "[]").forEach(function (spec) {
    var box = document.getElementById(spec.id);
    if (!box) { return; }
    box.hidden = false;
    box.style.height = Math.max(160, 48 * spec.categories.length) + "px";
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      grid: { containLabel: true, left: 8, right: 24 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: spec.categories, inverse: true },
      series: [{ type: "bar", name: spec.title, data: spec.values, label: { show: true, position: "right" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
