// Public leaderboard pages: auto-submitting scope selector, print button, unit charts.
// Data comes from data- attributes (the CSP forbids inline scripts).
(function () {
  "use strict";

  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // "Find my unit" lands on the unit's row: bring it to the middle of the screen.
  var found = document.querySelector("tr.highlight");
  if (found) { found.scrollIntoView({ block: "center" }); }

  if (typeof Chart === "undefined") { return; }

  function readChart(canvas) {
    try { return JSON.parse(canvas.getAttribute("data-chart")); } catch (e) { return null; }
  }

  // Points arrive in hundredths (exact integers); show them with the page's decimal mark.
  function formatPoints(hundredths, decimal) {
    var text = (hundredths / 100).toFixed(2).replace(/\.?0+$/, "");
    return decimal === "," ? text.replace(".", ",") : text;
  }

  var breakdown = document.getElementById("breakdown-chart");
  if (breakdown) {
    var data = readChart(breakdown);
    var decimal = breakdown.getAttribute("data-decimal") || ".";
    if (data) {
      new Chart(breakdown, {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: [
            { label: breakdown.getAttribute("data-label-points"), data: data.values.map(function (v) { return v / 100; }), backgroundColor: "#136b42" },
            { label: breakdown.getAttribute("data-label-max"), data: data.max.map(function (v) { return v / 100; }), backgroundColor: "#d9e4dc" }
          ]
        },
        options: {
          indexAxis: "y",
          maintainAspectRatio: false,
          scales: { x: { beginAtZero: true, ticks: { callback: function (v) { return formatPoints(v * 100, decimal); } } } },
          plugins: { tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + formatPoints(Math.round(ctx.raw * 100), decimal); } } } }
        }
      });
    }
  }

  var history = document.getElementById("history-chart");
  if (history) {
    var series = readChart(history);
    if (series) {
      new Chart(history, {
        type: "line",
        data: {
          labels: series.labels,
          datasets: [
            { label: history.getAttribute("data-label-national"), data: series.national, borderColor: "#136b42", backgroundColor: "#136b42", spanGaps: true },
            { label: history.getAttribute("data-label-province"), data: series.province, borderColor: "#c99a06", backgroundColor: "#c99a06", spanGaps: true }
          ]
        },
        options: {
          maintainAspectRatio: false,
          // Rank 1 is best: put it at the top.
          scales: { y: { reverse: true, min: 1, ticks: { precision: 0 } } }
        }
      });
    }
  }
})();
