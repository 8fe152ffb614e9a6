// Analytics for leads: response-time figures and charts drawn by Chart.js (webroot/vendor, loaded before the modules).
import { $, api, text, renderList, serverNow, counted, report } from './core.js';

const charts = {};
window.careloopCharts = charts; // read by the browser tests to see that charts redraw
let analyticsTimer = null;

function isoDay(d) { return d.toISOString().slice(0, 10); }

function duration(seconds) {
  if (seconds == null) return '–';
  if (seconds < 120) return seconds + ' s';
  if (seconds < 7200) return Math.round(seconds / 60) + ' min';
  return (seconds / 3600).toFixed(1) + ' h';
}

function percent(share) { return share == null ? '–' : (Math.round(share * 1000) / 10) + '%'; }

// Chart.js draws text on a canvas, out of reach of the stylesheet: it takes the console's colours (light or dark) here.
function chartColours() {
  const css = getComputedStyle(document.documentElement);
  window.Chart.defaults.color = css.getPropertyValue('--soft2').trim() || '#475467';
  // The grid, not defaults.borderColor: changing that turns off Chart.js's own palette for the datasets.
  const grid = css.getPropertyValue('--border').trim() || '#e4e7ec';
  window.Chart.defaults.scale.grid.color = grid;
  window.Chart.defaults.scale.border.color = grid;
}

/**
 * The same series as a table, under each chart ("Data as a table"): a chart is a picture, and a screen reader or a
 * reader who wants the figures gets them here. Columns are the chart's datasets; a missing value reads "–".
 */
function dataTable(id, labelHead, labels, datasets) {
  const table = $(id + '-data');
  const head = document.createElement('tr');
  head.appendChild(text('th', labelHead));
  for (const d of datasets) head.appendChild(text('th', d.label));
  head.querySelectorAll('th').forEach((th) => th.setAttribute('scope', 'col'));
  const body = document.createElement('tbody');
  labels.forEach((label, i) => {
    const tr = document.createElement('tr');
    const th = text('th', label);
    th.setAttribute('scope', 'row');
    tr.appendChild(th);
    for (const d of datasets) {
      const v = d.data[i];
      tr.appendChild(text('td', v == null ? '–' : Number.isInteger(v) ? v : v.toFixed(1)));
    }
    body.appendChild(tr);
  });
  const thead = document.createElement('thead');
  thead.appendChild(head);
  table.replaceChildren(thead, body);
}

function draw(id, config, labelHead) {
  dataTable(id, labelHead || 'Day', config.data.labels, config.data.datasets);
  chartColours();
  if (charts[id]) {
    charts[id].data = config.data;
    charts[id].update();
  } else {
    charts[id] = new window.Chart($(id), { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...(config.options || {}) } });
  }
}

function analyticsQuery() {
  return new URLSearchParams({ from: $('an-from').value, to: $('an-to').value, metric: $('an-metric').value,
    time: $('an-time').value, groupBy: $('an-group').value });
}

async function loadAnalytics(e) {
  if (e) e.preventDefault();
  $('an-message').textContent = '';
  const q = analyticsQuery();
  const r = await api('GET', '/api/analytics/response-times?' + q);
  const csv = new URLSearchParams({ from: q.get('from'), to: q.get('to') });
  $('an-csv').href = '/api/analytics/export.csv?' + csv;
  const t = r.totals;
  $('an-totals').textContent = t.replies + ' replies · median ' + duration(t.medianSeconds) + ' · p90 ' + duration(t.p90Seconds) +
    ' · p99 ' + duration(t.p99Seconds) + ' · ' + percent(t.slaAttainment) + ' within target · ' + t.breaches + ' breaches (' + r.time + ' time)';
  $('an-empty').hidden = t.replies > 0;
  $('an-empty').textContent = 'No replies from ' + q.get('from') + ' to ' + q.get('to') + ': response times, attainment and these charts fill in as agents answer mentions in the range.';
  const days = r.series.map((d) => d.day.slice(5));
  draw('chart-daily', { type: 'bar', data: { labels: days, datasets: [
    { type: 'bar', label: 'replies', data: r.series.map((d) => d.replies), yAxisID: 'y' },
    { type: 'line', label: 'median (min)', data: r.series.map((d) => d.medianSeconds == null ? null : d.medianSeconds / 60), yAxisID: 'y1' }] },
    options: { scales: { y: { beginAtZero: true }, y1: { beginAtZero: true, position: 'right' } } } });
  draw('chart-attainment', { type: 'line', data: { labels: days, datasets: [
    { label: 'within target (%)', data: r.series.map((d) => d.slaAttainment == null ? null : d.slaAttainment * 100), yAxisID: 'y' },
    { type: 'bar', label: 'breaches', data: r.series.map((d) => d.breaches), yAxisID: 'y1' }] },
    options: { scales: { y: { min: 0, max: 100 }, y1: { beginAtZero: true, position: 'right' } } } });
  draw('chart-backlog', { type: 'line', data: { labels: days, datasets: [
    { label: 'backlog', data: r.series.map((d) => d.backlog) },
    { type: 'bar', label: 'new cases', data: r.series.map((d) => d.newCases) }] } });
  draw('chart-hours', { type: 'bar', data: { labels: r.newCasesByHour.map((_, h) => String(h)),
    datasets: [{ label: 'new cases', data: r.newCasesByHour }] } }, 'Hour (UTC)');
  $('an-group-caption').textContent = 'By ' + $('an-group').selectedOptions[0].textContent;
  renderList('an-groups', r.groups, (g) => {
    const tr = document.createElement('tr');
    for (const v of [g.key, g.replies, duration(g.medianSeconds), duration(g.p90Seconds), duration(g.p99Seconds), duration(g.meanSeconds),
      percent(g.slaAttainment), g.breaches]) tr.appendChild(text('td', v));
    return tr;
  });
  const days30 = 30;
  const f = await api('GET', '/api/cycle/funnel?days=' + days30).catch((e) => { report('load the cycle\'s funnel')(e); return null; });
  if (f) {
    $('an-funnel').textContent = 'Last ' + days30 + ' days: ' + counted(f.answeredWithKbLink, 'reply', 'replies') + ' with a KB link, ' +
      counted(f.clicks, 'click') + ' on tracked links, ' + counted(f.published, 'blog post') + ' published, ' +
      counted(f.proactiveTweets, 'proactive tweet');
  }
}

function openAnalytics() {
  const to = new Date(serverNow());
  const from = new Date(to.getTime() - 29 * 86400000);
  if (!$('an-to').value) { $('an-to').value = isoDay(to); $('an-from').value = isoDay(from); }
  $('analytics-dialog').showModal();
  loadAnalytics().catch((e) => { $('an-message').textContent = e.message; });
  clearInterval(analyticsTimer);
  // Live refresh while the dashboard is open.
  analyticsTimer = setInterval(() => {
    if (!$('analytics-dialog').open) { clearInterval(analyticsTimer); return; }
    loadAnalytics().catch(report('refresh analytics'));
  }, 30000);
}

export function wireAnalytics() {
  $('analytics-open').addEventListener('click', openAnalytics);
  $('analytics-form').addEventListener('submit', (e) => loadAnalytics(e).catch((err) => { $('an-message').textContent = err.message; }));
  $('analytics-close').addEventListener('click', () => $('analytics-dialog').close());
}
