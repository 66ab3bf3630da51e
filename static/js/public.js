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
  // Charts speak in the page's font (Be Vietnam Pro has every Vietnamese letter).
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;

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

  var BAND_COLORS = { excellent: "#0b6b3a", good: "#1f6fb2", completed: "#6c757d", not_completed: "#b02a37" };
  var distribution = document.getElementById("distribution-chart");
  if (distribution) {
    var dist = readChart(distribution);
    var sep = distribution.getAttribute("data-decimal") || ".";
    var markerText = distribution.getAttribute("data-marker");
    var marker = markerText === "" ? null : parseInt(markerText, 10);
    var bandLabels = JSON.parse(distribution.getAttribute("data-band-labels") || "{}");
    if (dist) {
      var isMarked = function (start) { return marker !== null && marker >= start && marker < start + dist.width; };
      new Chart(distribution, {
        type: "bar",
        data: {
          labels: dist.starts.map(function (start) { return formatPoints(start, sep); }),
          datasets: [{
            label: distribution.getAttribute("data-label-units"),
            data: dist.counts,
            backgroundColor: dist.starts.map(function (start, i) { return isMarked(start) ? "#f2c230" : BAND_COLORS[dist.bands[i]]; }),
            borderColor: dist.starts.map(function (start) { return isMarked(start) ? "#5c4400" : "transparent"; }),
            borderWidth: 2, barPercentage: 1, categoryPercentage: 0.95
          }]
        },
        options: {
          maintainAspectRatio: false,
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: {
              title: function (items) {
                var start = dist.starts[items[0].dataIndex];
                return formatPoints(start, sep) + " – " + formatPoints(start + dist.width, sep);
              },
              afterLabel: function (item) {
                var start = dist.starts[item.dataIndex];
                var text = bandLabels[dist.bands[item.dataIndex]] || "";
                return isMarked(start) ? text + " · " + distribution.getAttribute("data-label-marker") : text;
              }
            } }
          },
          scales: {
            x: { ticks: { autoSkip: true, maxRotation: 0 }, grid: { display: false } },
            y: { beginAtZero: true, ticks: { precision: 0 } }
          }
        }
      });
    }
  }

  var history = document.getElementById("history-chart");
  if (history) {
    var series = readChart(history);
    if (series) {
      var narrow = history.parentNode.clientWidth < 576;
      var rankAxis = function (position, color, title) {
        // Rank 1 is best: put it at the top. Each scope has its own axis: 180 units
        // nationally and 12 in a cluster would flatten one line on a shared axis.
        return {
          position: position, reverse: true, min: 1, grace: "5%",
          title: { display: !narrow, text: title, color: color },
          ticks: { precision: 0, color: color },
          grid: { drawOnChartArea: position === "left" }
        };
      };
      new Chart(history, {
        type: "line",
        data: {
          labels: narrow && series.short ? series.short : series.labels,
          datasets: [
            { label: history.getAttribute("data-label-national"), data: series.national, borderColor: "#136b42", backgroundColor: "#136b42", spanGaps: true, yAxisID: "y" },
            { label: history.getAttribute("data-label-province"), data: series.province, borderColor: "#a37800", backgroundColor: "#a37800", borderDash: [6, 3], spanGaps: true, yAxisID: "y1" }
          ]
        },
        options: {
          maintainAspectRatio: false,
          layout: { padding: { bottom: 4 } },
          scales: {
            x: { ticks: { autoSkip: true, maxRotation: narrow ? 45 : 30, minRotation: 0 } },
            y: rankAxis("left", "#136b42", history.getAttribute("data-label-national")),
            y1: rankAxis("right", "#a37800", history.getAttribute("data-label-province"))
          },
          plugins: {
            tooltip: { callbacks: { title: function (items) { return series.labels[items[0].dataIndex]; } } }
          }
        }
      });
    }
  }
})();
