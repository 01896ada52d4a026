/* The open-data page's charts (Chart.js, vendored). The data come from the page's JSON script tag
   (`json_script`, not executed, so the CSP's script-src 'self' holds); a figure suppressed below the
   minimum sample is null: no bar, and "<5" in the tooltip, never a number. */
(function () {
  "use strict";
  var source = document.getElementById("open-data-charts-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = ["#b3261e", "#1d5fa8"];

  // Writes "<5" (or "not published") where a suppressed figure would be, so it never reads as a 0.
  var suppressedMarks = {
    id: "suppressedMarks",
    afterDatasetsDraw: function (chart, args, options) {
      var context = chart.ctx;
      var yScale = chart.scales.y;
      context.save();
      context.font = "12px system-ui, sans-serif";
      context.textBaseline = "middle";
      chart.data.datasets.forEach(function (dataset, datasetIndex) {
        var meta = chart.getDatasetMeta(datasetIndex);
        if (meta.hidden) {
          return;
        }
        dataset.suppressed.forEach(function (suppressed, index) {
          if (!suppressed) {
            return;
          }
          var element = meta.data[index];
          var y = element && isFinite(element.y) ? element.y : yScale.getPixelForValue(index);
          context.fillStyle = dataset.backgroundColor;
          context.fillText(options.text, chart.chartArea.left + 4, y);
        });
      });
      context.restore();
    }
  };
  data.charts.forEach(function (chart) {
    var canvas = document.getElementById("chart-" + chart.id);
    if (!canvas) {
      return;
    }
    var percent = chart.unit === "percent";
    canvas.parentNode.style.height = Math.max(180, data.labels.length * 30 + 90) + "px";
    new window.Chart(canvas, {
      type: "bar",
      plugins: [suppressedMarks],
      data: {
        labels: data.labels,
        datasets: chart.series.map(function (series, index) {
          return {
            label: series.label,
            data: series.values,
            backgroundColor: colours[index % colours.length],
            suppressed: series.suppressed
          };
        })
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { beginAtZero: true, max: percent ? 100 : undefined, ticks: { precision: 0 } }
        },
        plugins: {
          legend: { position: "bottom" },
          suppressedMarks: { text: percent ? data.not_published_text : data.suppressed_text },
          tooltip: {
            callbacks: {
              label: function (context) {
                var dataset = context.dataset;
                if (dataset.suppressed[context.dataIndex]) {
                  return dataset.label + ": " + (percent ? data.not_published_text : data.suppressed_text);
                }
                return dataset.label + ": " + context.formattedValue + (percent ? " %" : "");
              }
            }
          }
        }
      }
    });
  });
})();
