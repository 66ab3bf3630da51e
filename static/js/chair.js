// The chair's board page: completion and disagreement charts. Data comes from data- attributes
// (the CSP forbids inline scripts); the same figures are in the tables below the charts.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;

  function read(canvas, name) {
    try { return JSON.parse(canvas.getAttribute(name)); } catch (e) { return null; }
  }
  // Long names would push the bars off a phone: cut them (the tables keep them whole).
  function shortLabel(chart, label, room) {
    var max = chart.width < 500 ? room : 60;
    return label.length > max ? label.slice(0, max - 1) + "…" : label;
  }
  function labelTicks(room) {
    return { autoSkip: false, callback: function (value) {
      return shortLabel(this.chart, this.getLabelForValue(value), room);
    } };
  }
  // As the tables write points (emulation.db.format_points): trailing zeros dropped, 10 not 10,00.
  function points(hundredths, decimal) {
    var text = (Math.round(hundredths) / 100).toFixed(2).replace(/\.?0+$/, "");
    return decimal === "," ? text.replace(".", ",") : text;
  }

  var completion = document.getElementById("completion-chart");
  var c = completion && read(completion, "data-chart");
  if (c) {
    var names = read(completion, "data-labels") || {};
    new Chart(completion, {
      type: "bar",
      data: {
        labels: c.labels,
        datasets: [
          { label: names.submitted, data: c.submitted, backgroundColor: "#0b6b3a" },
          { label: names.in_progress, data: c.in_progress, backgroundColor: "#f2c230" },
          { label: names.not_started, data: c.not_started, backgroundColor: "#ced4da" }
        ]
      },
      options: {
        indexAxis: "y", maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true, ticks: labelTicks(18) } },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
      }
    });
  }

  var disagreement = document.getElementById("disagreement-chart");
  var d = disagreement && read(disagreement, "data-chart");
  if (d) {
    var sep = disagreement.getAttribute("data-decimal") || ".";
    new Chart(disagreement, {
      type: "bar",
      data: {
        labels: d.labels,
        datasets: [{
          label: disagreement.getAttribute("data-label"),
          data: d.spread.map(function (v) { return v / 100; }),
          backgroundColor: "#b02a37"
        }]
      },
      options: {
        indexAxis: "y", maintainAspectRatio: false, animation: false,
        scales: {
          x: { beginAtZero: true, ticks: { callback: function (v) { return points(v * 100, sep); } } },
          y: { ticks: Object.assign(labelTicks(22), { font: { size: 11 } }) }
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (item) {
            var i = item.dataIndex;
            return disagreement.getAttribute("data-label") + ": " + points(d.spread[i], sep) + " (" +
              disagreement.getAttribute("data-label-low") + " " + points(d.low[i], sep) + ", " +
              disagreement.getAttribute("data-label-high") + " " + points(d.high[i], sep) + ")";
          } } }
        }
      }
    });
  }
})();
