// Draws the weekly chart of an analytics page from the JSON that json_script put in the
// page; no inline script, so the strict CSP holds.
(function () {
  "use strict";
  function draw() {
    var host = document.getElementById("weekly-chart");
    var source = document.getElementById("weekly-data");
    if (!host || !source || typeof uPlot === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var xs = data.labels.map(function (d) { return Date.parse(d + "T00:00:00") / 1000; });
    host.textContent = "";
    var width = Math.max(280, host.clientWidth || 320);
    var opts = {
      width: width,
      height: 240,
      series: [
        {},
        { label: data.posts_label, stroke: "#1f6feb", width: 2, scale: "posts" },
        { label: data.per_post_label, stroke: "#d97706", width: 2, scale: "eng" }
      ],
      axes: [{}, { scale: "posts" }, { scale: "eng", side: 1, grid: { show: false } }]
    };
    new uPlot(opts, [xs, data.posts, data.per_post], host);
  }
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(draw, 200);
  });
  document.addEventListener("DOMContentLoaded", draw);
  if (document.readyState !== "loading") { draw(); }
})();
