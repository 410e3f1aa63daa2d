/* Render the charts of a dataset page with the vendored ECharts (no third-party script).
   The data is in <script type="application/json" id="opendata-charts">; every chart also has
   a visible data table below it, so nothing depends on this script. */
(function () {
  "use strict";
  var source = document.getElementById("opendata-charts");
  if (!source || typeof window.echarts === "undefined") { return; }
  var charts = JSON.parse(source.textContent || "[]");
  charts.forEach(function (spec) {
    var box = document.getElementById(spec.id);
    if (!box) { return; }
    box.hidden = false;
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    var option;
    if (spec.kind === "pie") {
      option = {
        tooltip: { trigger: "item" },
        series: [{ type: "pie", name: spec.ys[0], radius: "65%",
          data: spec.categories.map(function (name, i) { return { name: name, value: spec.series[0][i] }; }) }]
      };
    } else {
      option = {
        tooltip: { trigger: "axis" },
        legend: { data: spec.ys },
        xAxis: { type: "category", data: spec.categories, name: spec.x },
        yAxis: { type: "value" },
        series: spec.ys.map(function (name, i) { return { name: name, type: spec.kind, data: spec.series[i] }; })
      };
    }
    option.aria = { enabled: true };
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
