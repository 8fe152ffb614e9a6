// Live updates (server-sent events) and the degraded banner while the database is away.
//
// Under a sustained stream the queue is refreshed at most once a second, and at least once a second: a throttle
// (the first event after a quiet second is applied at once, later ones join the next tick), not a trailing debounce,
// which a steady stream would starve. A case event for a row on screen is applied to that row (one GET of that case)
// while the case stays where it is (same state and holder); anything else reloads the view's first page.
import { state, $, api, notice, report } from './core.js';
import { refresh, showViewers, openCase } from './case.js';
import { loadQueue, loadCounts, queueRow, markSelected } from './queue.js';
import { loadSources } from './sources.js';

const EVERY_MS = 1000;
const MAX_ROWS_PER_TICK = 20; // more changed rows than this in a second: one page read is cheaper

const live = {
  seq: 0, timer: null, lastTick: 0, running: false,
  rows: new Set(), page: false, open: false,
  // Read by the browser tests (and useful in devtools): how stale the queue got, measured in this page.
  stats: { events: 0, ticks: 0, failedTicks: 0, rowUpdates: 0, pageReloads: 0, maxStaleMs: 0, received: [] }
};
window.careloopLive = live.stats;

// Readiness is the server's own verdict on the database; while it fails the console says so and keeps checking.
export function showDegraded(down) {
  const wasDown = !$('degraded').hidden;
  $('degraded').hidden = !down;
  if (wasDown && !down) refresh().catch(report('refresh the queue'));
}

export function watchHealth() {
  if (state.healthWatch) return;
  const check = () => fetch('/health/ready', { cache: 'no-store' })
    .then((r) => showDegraded(!r.ok), () => showDegraded(true));
  check();
  state.healthWatch = setInterval(check, 5000);
}

function rowOf(id) {
  return document.querySelector('#queue-rows tr[data-case-id="' + CSS.escape(id) + '"]');
}

/** Notes what an event changed and schedules the next tick (now, if the last one was over a second ago). */
function changed(caseId, pageToo) {
  live.seq++;
  live.stats.events++;
  live.stats.received.push(performance.now());
  if (caseId && caseId === state.selected) live.open = true;
  if (pageToo || !caseId || !rowOf(caseId)) live.page = true;
  else live.rows.add(caseId);
  schedule();
}

function schedule() {
  if (live.timer || live.running) return;
  live.timer = setTimeout(tick, Math.max(0, live.lastTick + EVERY_MS - Date.now()));
}

/** One row, read again: replaced in place while it stays in the view, else the page is read again. */
async function updateRow(id) {
  const tr = rowOf(id);
  if (!tr) return false;
  let c;
  try {
    c = await api('GET', '/api/cases/' + encodeURIComponent(id));
  } catch {
    return false; // the page read that follows says what is there (or reports why it could not)
  }
  if (c.state !== tr.dataset.state || (c.assignee || '') !== (tr.dataset.assignee || '')) return false;
  const now = rowOf(id);
  if (!now) return true;
  // The new row takes the old one's place in the keyboard path too: its tab stop, and the focus if it had it.
  const focused = now.contains(document.activeElement);
  const fresh = queueRow(c);
  now.replaceWith(fresh);
  markSelected(state.selected);
  if (focused) fresh.focus({ preventScroll: true });
  live.stats.rowUpdates++;
  return true;
}

async function tick() {
  live.timer = null;
  live.running = true;
  live.lastTick = Date.now();
  const upTo = live.seq;
  const rows = [...live.rows];
  let page = live.page || rows.length > MAX_ROWS_PER_TICK;
  const open = live.open;
  live.rows.clear();
  live.page = false;
  live.open = false;
  let failed = false;
  try {
    if (!page) page = !(await Promise.all(rows.map(updateRow))).every(Boolean);
    await Promise.all([page ? loadQueue(false, true) : null, loadCounts(), open && state.selected ? openCase(state.selected) : null]);
    if (page) live.stats.pageReloads++;
  } catch (e) {
    failed = true;
    report('refresh the queue')(e);
  } finally {
    live.running = false;
  }
  live.stats.ticks++;
  if (failed) {
    // Nothing of this tick is known to be on screen: the next one reads the page again, and the events still wait.
    live.stats.failedTicks++;
    live.page = true;
    if (open) live.open = true;
    schedule();
    return;
  }
  // Every event received before this tick began is now on screen: how long the oldest of them waited.
  const done = performance.now();
  const received = live.stats.received;
  const applied = received.length - (live.seq - upTo);
  for (let i = 0; i < applied; i++) live.stats.maxStaleMs = Math.max(live.stats.maxStaleMs, done - received[i]);
  received.splice(0, applied);
  if (live.seq !== upTo) schedule();
}

export function connectEvents() {
  if (state.events) state.events.close();
  const es = new EventSource('/api/events');
  es.addEventListener('case', (m) => {
    const e = JSON.parse(m.data);
    changed(e.id, false);
  });
  es.addEventListener('sla', (m) => {
    const e = JSON.parse(m.data);
    // A warning or breach moves a case into Breaching soon (and changes its row elsewhere).
    if (e.caseId === state.selected || e.kind === 'warning' || e.kind === 'breached') changed(e.caseId, state.view === 'breaching');
  });
  es.addEventListener('viewers', (m) => {
    const e = JSON.parse(m.data);
    if (e.caseId === state.selected) showViewers(e.viewers);
  });
  es.addEventListener('escalation', (m) => {
    const e = JSON.parse(m.data);
    notice('Escalated: case ' + e.caseId + ' breached its target and is now ' + e.priority + '.');
  });
  es.addEventListener('source', () => loadSources().catch(report('refresh the listening sources')));
  state.events = es;
}
