// The page's pictures, drawn with Chart.js (served by this service from its webjar). Every picture has its numbers in
// words or in a table beside it, and the series differ by line style or hatching as well as colour, so none needs
// colour to be read.

const INK = '#1b1f24';
const ACCENT = '#0b5cad';
const REVIEW = '#b35900';
const MUTED = '#8c959f';

const charts = new Map();

/** The chart on {@code canvasId}, made once with {@code config()} and given new data by {@code update(chart)}. */
function draw(canvasId, config, update) {
  if (!globalThis.Chart) {
    return null; // the library did not load: the numbers beside each picture still say everything
  }
  let chart = charts.get(canvasId);
  if (!chart) {
    chart = new globalThis.Chart(document.getElementById(canvasId), config());
    charts.set(canvasId, chart);
  }
  update(chart);
  chart.update('none');
  return chart;
}

/** Forgets every job picture (another job is opened). */
export function clearJobCharts() {
  for (const id of ['pace-chart', 'categories-chart', 'sureness-chart']) {
    charts.get(id)?.destroy();
    charts.delete(id);
  }
}

/** Items done and dollars spent against seconds since the page began following the job. */
export function drawPace(samples) {
  draw('pace-chart', () => ({
    type: 'line',
    data: { datasets: [
      { label: 'items done', data: [], borderColor: ACCENT, backgroundColor: ACCENT, yAxisID: 'items', pointRadius: 0 },
      { label: 'cost so far ($)', data: [], borderColor: INK, backgroundColor: INK, borderDash: [6, 4], yAxisID: 'cost',
        pointRadius: 0 },
    ] },
    options: {
      animation: false, maintainAspectRatio: false, parsing: false,
      scales: {
        x: { type: 'linear', title: { display: true, text: 'seconds' } },
        items: { position: 'left', beginAtZero: true, title: { display: true, text: 'items' } },
        cost: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: '$' } },
      },
    },
  }), (chart) => {
    chart.data.datasets[0].data = samples.map((s) => ({ x: s.seconds, y: s.done }));
    chart.data.datasets[1].data = samples.map((s) => ({ x: s.seconds, y: s.cost }));
  });
}

/** The categories with the most items, the rest in one bar. */
export function drawCategories(breakdown) {
  const rows = categoryRows(breakdown);
  draw('categories-chart', () => ({
    type: 'bar',
    data: { labels: [], datasets: [{ label: 'items', data: [], backgroundColor: ACCENT }] },
    options: { indexAxis: 'y', animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { ticks: { autoSkip: false } } } },
  }), (chart) => {
    chart.data.labels = rows.map((row) => shortLabel(row.label));
    chart.data.datasets[0].data = rows.map((row) => row.items);
  });
  return rows;
}

/** The top categories by name, then "other" summing the rest, as shown in the chart and its table. */
function categoryRows(breakdown) {
  const rows = breakdown.categories.map((share) => ({ label: share.category, items: share.items }));
  if (breakdown.other_items > 0) {
    rows.push({ label: `${breakdown.other_categories} other categories`, items: breakdown.other_items });
  }
  return rows;
}

/** A histogram of how sure the answers are, those marked for review hatched, the review cut as a dashed line. */
export function drawSureness(breakdown) {
  draw('sureness-chart', () => ({
    type: 'bar',
    data: { labels: [], datasets: [
      { label: 'to review', data: [], backgroundColor: hatch(REVIEW), borderColor: REVIEW, borderWidth: 1 },
      { label: 'answered', data: [], backgroundColor: MUTED },
    ] },
    options: { animation: false, maintainAspectRatio: false,
      scales: { x: { stacked: true, title: { display: true, text: 'how sure: the calibrated chance, else the confidence' } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
    plugins: [reviewCut],
  }), (chart) => {
    chart.data.labels = breakdown.sureness.map((bin) => `${bin.from.toFixed(1)}–${bin.to.toFixed(1)}`);
    chart.data.datasets[0].data = breakdown.sureness.map((bin) => bin.review);
    chart.data.datasets[1].data = breakdown.sureness.map((bin) => bin.items - bin.review);
    chart.options.reviewUpTo = breakdown.review_up_to;
  });
}

/** Draws a dashed line where the answers marked for review end, labelled with its value. */
const reviewCut = {
  id: 'reviewCut',
  afterDatasetsDraw(chart) {
    const cut = chart.options.reviewUpTo;
    if (cut == null) {
      return;
    }
    const { ctx, chartArea } = chart;
    const x = chartArea.left + (chartArea.right - chartArea.left) * Math.min(1, cut);
    ctx.save();
    ctx.strokeStyle = INK;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(x, chartArea.top);
    ctx.lineTo(x, chartArea.bottom);
    ctx.stroke();
    ctx.fillStyle = INK;
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = x > (chartArea.left + chartArea.right) / 2 ? 'right' : 'left';
    ctx.fillText(`review ≤ ${cut.toFixed(2)}`, x + (ctx.textAlign === 'left' ? 4 : -4), chartArea.top + 12);
    ctx.restore();
  },
};

/** A taxonomy's cascade: the share of items it settles in-process at its precision, the rest going to the LLM. */
export function drawCascade(cascade) {
  const settled = Math.round((cascade.settled_share ?? 0) * 1000) / 10;
  draw('cascade-chart', () => ({
    type: 'bar',
    data: { labels: ['items'], datasets: [
      { label: 'settled in-process (%)', data: [], backgroundColor: ACCENT },
      { label: 'sent to the LLM (%)', data: [], backgroundColor: hatch(MUTED), borderColor: MUTED, borderWidth: 1 },
    ] },
    options: { indexAxis: 'y', animation: false, maintainAspectRatio: false,
      scales: { x: { stacked: true, min: 0, max: 100 }, y: { stacked: true, display: false } } },
  }), (chart) => {
    chart.data.datasets[0].data = [settled];
    chart.data.datasets[1].data = [Math.round((100 - settled) * 10) / 10];
  });
}

/** Diagonal stripes in {@code colour}: a fill that reads as different without its colour. */
function hatch(colour) {
  const tile = document.createElement('canvas');
  tile.width = 8;
  tile.height = 8;
  const ctx = tile.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, 8, 8);
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(0, 8);
  ctx.lineTo(8, 0);
  ctx.stroke();
  return ctx.createPattern(tile, 'repeat');
}

function shortLabel(path) {
  const last = path.split(' > ').pop();
  return last.length > 28 ? last.slice(0, 27) + '…' : last;
}
