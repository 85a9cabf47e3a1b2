// Draws the dashboard's monthly chart from the JSON the page carries. The
// table under it shows the same numbers, with or without JavaScript.
(function () {
  "use strict";
  var data = document.getElementById("chart-data");
  var canvas = document.getElementById("month-chart");
  if (!data || !canvas || !window.Chart) { return; }
  var d = JSON.parse(data.textContent);
  canvas.parentElement.hidden = false;
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: d.labels,
      datasets: [
        { label: d.names.received, data: d.received, backgroundColor: "#0b4f9c" },
        { label: d.names.on_time, data: d.on_time, backgroundColor: "#1e6b34" },
        { label: d.names.late, data: d.late, backgroundColor: "#b3261e" }
      ]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
