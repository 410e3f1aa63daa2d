/* The visit dashboard's charts with the vendored ECharts (no third-party script). The figures
   are in <script type="application/json" id="visit-charts">; the tables below the charts
   show the same numbers, so nothing depends on this script. */
(function () {
  "use strict";
  var source = document.getElementById("visit-charts");
  if (!source || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent || "{}");
  var trend = document.getElementById("visit-trend");
  if (trend) {
    trend.hidden = false;
    window.echarts.init(trend, null, { renderer: "svg" }).setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      legend: { data: ["浏览量", "独立访客"] },
      xAxis: { type: "category", data: data.days },
      yAxis: { type: "value" },
      series: [
        { name: "浏览量", type: "line", data: data.page_views },
        { name: "独立访客", type: "line", data: data.unique_visitors }
      ]
    });
  }
  var devices = document.getElementById("visit-devices");
  if (devices) {
    devices.hidden = false;
    window.echarts.init(devices, null, { renderer: "svg" }).setOption({
      aria: { enabled: true },
      tooltip: { trigger: "item" },
      series: [{ type: "pie", name: "设备", radius: "65%", data: data.devices }]
    });
  }
})();
