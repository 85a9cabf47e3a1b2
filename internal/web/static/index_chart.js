// Draws the ranking page's chart of each unit's monthly total from the JSON
// the page carries. The ranking table shows the period's numbers with or
// without JavaScript.
(function () {
  "use strict";
  var data = document.getElementById("trend-data");
  var canvas = document.getElementById("trend-chart");
  if (!data || !canvas || !window.Chart) { return; }
  var d = JSON.parse(data.textContent);
  canvas.parentElement.hidden = false;
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: d.labels,
      datasets: d.units.map(function (u) { return { label: u.name, data: u.totals, tension: 0 }; })
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, max: 100 } },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
